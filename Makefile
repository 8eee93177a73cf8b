# 安全生产简报 — `make help` lists the targets.
# Works from a bare Python 3.11: the first target that needs the environment creates .venv
# with `python3 -m venv` and installs the project (pyproject.toml is the single source of
# dependencies). With the conda environment of environment.yml active (safety-briefing),
# that environment is used instead of .venv; any other conda environment (e.g. base) is
# left alone.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help report reports email lab test browser-deps lint format bench sample-data dictionary clean

PYTHON ?= python3
ifeq ($(CONDA_DEFAULT_ENV),safety-briefing)
ENV_DIR := $(CONDA_PREFIX)
PIP_INSTALL := $(ENV_DIR)/bin/python -m pip install --no-deps -e .
else
ENV_DIR := .venv
PIP_INSTALL := $(ENV_DIR)/bin/python -m pip install -e '.[dev]'
endif
BIN := $(ENV_DIR)/bin
PY := $(BIN)/python
STAMP := $(ENV_DIR)/.briefing-installed
KERNEL_NAME := safety-briefing
KERNEL_DISPLAY := 安全生产简报 (Python 3.11)

# Run parameters (empty = data/config/project.yaml): make report PERIOD=2020-09 UNIT=邹区镇
# Switches take 1/0, true/false or yes/no (empty = off; anything else is an error):
# LENIENT=1 drops invalid rows (listed in rejects.csv) instead of stopping; ALLOW_PARTIAL=1
# allows a period past the data (the briefing states the coverage); SEND=1 sends the e-mail.
# No value is ever run as a command: each is taken literally ($(value …) into a simply
# expanded variable, so make never expands it) and reaches the program as an environment
# variable (BRIEFING_…), never through the shell's command line.
RUN_VARIABLES := DISTRICT PERIOD UNIT DATA_DIR LENIENT SEND ALLOW_PARTIAL
$(foreach v,$(RUN_VARIABLES),$(eval override $(v) := $$(value $(v))))
RUN_TARGETS := report email reports
$(foreach v,$(RUN_VARIABLES),$(eval $(RUN_TARGETS): export BRIEFING_$(v) = $$($(v))))

help: ## 列出可用命令
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(ENV_DIR)
	$(PIP_INSTALL)
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL_NAME) --display-name "$(KERNEL_DISPLAY)" >/dev/null
	@# nbstripout --install drops --keep-id from the filter it writes; set the filter ourselves
	@# so committed notebooks keep their stable cell ids.
	@if git rev-parse --git-dir >/dev/null 2>&1 && [ -x $(BIN)/nbstripout ]; then \
		$(BIN)/nbstripout --install --keep-id && \
		git config filter.nbstripout.clean '"$(abspath $(BIN))/python" -m nbstripout --keep-id' && \
		git config diff.ipynb.textconv '"$(abspath $(BIN))/python" -m nbstripout --keep-id -t' \
		|| true; fi
	@touch $(STAMP)

report: $(STAMP) ## 用项目配置（或 PERIOD=… UNIT=…）生成简报到 outputs/
	$(PY) -m analysis report

email: $(STAMP) ## 把简报写成 briefing.eml（SEND=1 时按 .env 的 SMTP 设置发送）
	$(PY) -m analysis email

reports: $(STAMP) ## 批量生成全区及各镇/街道、各月份的简报和 outputs/index.html
	$(PY) -m analysis reports

lab: $(STAMP) ## 打开 JupyterLab（内核：安全生产简报）
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

test: $(STAMP) browser-deps ## 代码检查 + 全部测试（含一次真实的 papermill + nbconvert 运行）
	$(BIN)/ruff check src tests notebooks benchmarks
	$(BIN)/ruff format --check src tests notebooks benchmarks
	$(BIN)/pytest

# The browser test needs headless Chromium and, for a legible screenshot, a CJK font
# (Debian packages). Installed when missing and we may (root with apt-get).
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -q CJK; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "安装浏览器测试所需的 chromium 和中文字体（Debian 包）…"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
		else \
			echo "提示：浏览器测试需要 chromium 和 fonts-noto-cjk（Debian 包），请先安装。" >&2; \
		fi; \
	fi

lint: $(STAMP) ## 只做代码检查
	$(BIN)/ruff check src tests notebooks benchmarks

format: $(STAMP) ## 自动格式化代码
	$(BIN)/ruff format src tests notebooks
	$(BIN)/ruff check --fix src tests notebooks

bench: $(STAMP) ## 性能基准：单份简报、指标引擎、批量（BENCH_STOCK_SAMPLE=N 缩短常规做法的实测）
	$(PY) benchmarks/bench_report.py
	$(PY) benchmarks/bench_indicators.py
	$(PY) benchmarks/bench_batch.py

sample-data: $(STAMP) ## 重新生成合成示例数据 data/sample/
	$(PY) -m analysis.sample_data

dictionary: $(STAMP) ## 重新生成数据字典 docs/数据字典.md
	$(PY) -m analysis.data_dictionary

clean: ## 删除 outputs/ 和缓存（保留环境）
	rm -rf outputs/* outputs/.cache outputs/.data-fingerprints.json .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
