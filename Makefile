# 安全生产简报 — `make help` lists the targets.
# Works from a bare Python 3.11: the first target that needs the environment creates .venv
# with `python3 -m venv` and installs the locked packages. `make report` (and every target that
# only makes briefings) installs the runtime set, requirements/runtime.lock; `make test` adds
# the dev set, requirements/dev.lock. Both locks are made from pyproject.toml by `make lock`.
# With the conda environment of environment.yml active (safety-briefing), that environment is
# used instead of .venv; any other conda environment (e.g. base) is left alone.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help report reports pdf email watch lab test test-fast browser-deps lint format bench lock \
	sample-data dictionary clean recreate-venv

PYTHON ?= python3
PYTHON_VERSION := 3.11
PYTHON_VERSION_OF = $(1) -c 'import sys; print(*sys.version_info[:2], sep=".")' 2>/dev/null
RUNTIME_LOCK := requirements/runtime.lock
DEV_LOCK := requirements/dev.lock
LINTED := src tests notebooks benchmarks
ifeq ($(CONDA_DEFAULT_ENV),safety-briefing)
ENV_DIR := $(CONDA_PREFIX)
else
ENV_DIR := .venv
# A .venv of another Python (or a broken one) is deleted and made again, never reused.
ifneq ($(wildcard $(ENV_DIR)),)
ifneq ($(shell $(call PYTHON_VERSION_OF,$(ENV_DIR)/bin/python)),$(PYTHON_VERSION))
STALE_VENV := recreate-venv
endif
endif
endif
BIN := $(ENV_DIR)/bin
PY := $(BIN)/python
PIP := $(PY) -m pip install --disable-pip-version-check
# STAMP: the runtime set is installed; DEV_STAMP: the dev set too.
STAMP := $(ENV_DIR)/.briefing-installed
DEV_STAMP := $(ENV_DIR)/.briefing-dev-installed
KERNEL_NAME := safety-briefing
KERNEL_DISPLAY := 安全生产简报 (Python 3.11)

# Run parameters (empty = data/config/project.yaml): make report PERIOD=2020-09 UNIT=邹区镇
# Switches take 1/0, true/false or yes/no (empty = off; anything else is an error):
# LENIENT=1 drops invalid rows (listed in rejects.csv) instead of stopping; ALLOW_PARTIAL=1
# allows a period past the data (the briefing states the coverage); SEND=1 sends the e-mail.
# FORMATS=html,xlsx,docx,pdf picks the output formats (default html,xlsx).
# No value is ever run as a command: each is taken literally ($(value …) into a simply
# expanded variable, so make never expands it) and reaches the program as an environment
# variable (BRIEFING_…), never through the shell's command line.
# make district NAME=新北区 TOWNS=甲镇,乙街道 sets up a new district's configuration.
# KIND=month|quarter|half|ytd|year: what the period covers (default ytd, 年初至今).
# DATA_AS_OF=YYYY-MM-DD: the date the data were extracted (a quiet month is then reported,
# not taken for missing data; MANIFEST.yaml's extracted: declares it per data folder).
# ISSUED=YYYY-MM-DD: the 印发日期 in the 版头 and 版记 (default: the day of the run).
# OUT=… writes the outputs under another folder than outputs/ (relative: to this folder).
# CELL_TIMEOUT=秒 limits each notebook cell (default 600): a cell that never ends stops the
# run with a message naming the cell.
# make watch: the repeat loop in the foreground (one kernel, a re-render on every save of
# the notebook, wording, configuration or data; Ctrl-C ends it). make report leaves nothing
# running.
RUN_VARIABLES := DISTRICT PERIOD UNIT DATA_DIR LENIENT SEND ALLOW_PARTIAL FORMATS KIND OUT NAME TOWNS \
	CELL_TIMEOUT DATA_AS_OF ISSUED
$(foreach v,$(RUN_VARIABLES),$(eval override $(v) := $$(value $(v))))
RUN_TARGETS := report email reports pdf district watch
$(foreach v,$(RUN_VARIABLES),$(eval $(RUN_TARGETS): export BRIEFING_$(v) = $$($(v))))
comma := ,
pdf: export BRIEFING_FORMATS = $(if $(FORMATS),$(FORMATS)$(comma),html$(comma)xlsx$(comma))pdf

help: ## 列出可用命令
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

recreate-venv:
	@echo "现有的 $(ENV_DIR) 不是 Python $(PYTHON_VERSION)，删除后重新创建。"
	rm -rf $(ENV_DIR)

$(STAMP): pyproject.toml $(RUNTIME_LOCK) $(STALE_VENV)
	@if [ -x $(PY) ]; then python=$(PY); else python=$(PYTHON); fi; \
	found=$$($(call PYTHON_VERSION_OF,$$python)); \
	if [ "$$found" != "$(PYTHON_VERSION)" ]; then \
		echo "错误：本项目需要 Python $(PYTHON_VERSION)，而 $$python 的版本是 $${found:-未知（无法运行该命令）}。" >&2; \
		echo "请安装 Python $(PYTHON_VERSION) 后这样指定：make report PYTHON=python$(PYTHON_VERSION)" >&2; \
		exit 1; \
	fi
	@test -x $(PY) || $(PYTHON) -m venv $(ENV_DIR)
	$(PIP) --no-deps -r $(RUNTIME_LOCK)
	$(PIP) --no-deps -e .
	$(PY) -m analysis.house install-kernel --sys-prefix --name $(KERNEL_NAME) --display-name "$(KERNEL_DISPLAY)" >/dev/null
	@touch $(STAMP)

# The notebook filter runs .ci/nbstripout-filter by a path relative to the work tree (git runs
# filters there) and is not `required`, so it keeps working when .venv is deleted or moved.
$(DEV_STAMP): $(STAMP) $(DEV_LOCK)
	$(PIP) --no-deps -r $(DEV_LOCK)
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
		git config filter.nbstripout.clean 'sh .ci/nbstripout-filter' && \
		git config filter.nbstripout.smudge cat && \
		git config --unset filter.nbstripout.required; \
		git config diff.ipynb.textconv 'sh .ci/nbstripout-filter -t'; \
	fi
	@touch $(DEV_STAMP)

# Keeps the pins already in the locks (adds what pyproject.toml added); UPGRADE=1 takes the
# newest versions pyproject.toml allows.
# rfc3987-syntax (and its lark) is left out: jsonschema's optional IRI-format check, pulled in
# by jupyter-events, which compiles a grammar on every `import nbformat` (3 to 5 s of each run);
# jsonschema and jupyter-events work without it. The locks are the whole set, so they are
# installed with --no-deps.
LOCK = $(BIN)/uv pip compile pyproject.toml --universal --custom-compile-command "make lock" -q \
	--no-emit-package rfc3987-syntax --no-emit-package lark \
	$(if $(filter-out 0,$(UPGRADE)),--upgrade)
lock: $(DEV_STAMP) ## 由 pyproject.toml 重新生成锁定文件 requirements/*.lock（UPGRADE=1 升级到最新）
	$(LOCK) -o $(RUNTIME_LOCK)
	$(LOCK) --extra dev -c $(RUNTIME_LOCK) -o $(DEV_LOCK)

report: $(STAMP) ## 用项目配置（或 PERIOD=… UNIT=…）生成简报到 outputs/
	$(PY) -m analysis report

pdf: $(STAMP) browser-deps ## 生成简报并另存为 A4 PDF（briefing.pdf，需要 chromium）
	$(PY) -m analysis report

email: $(STAMP) ## 把简报写成 briefing.eml（SEND=1 时按 .env 的 SMTP 设置发送）
	$(PY) -m analysis email

reports: $(STAMP) ## 批量生成全区及各镇/街道、各月份的简报和索引页 outputs/<区>/index.html
	$(PY) -m analysis reports

watch: $(STAMP) ## 边改边看：保存笔记本、措辞、配置或数据后自动重新生成简报（Ctrl-C 结束）
	$(PY) -m analysis watch

district: $(STAMP) ## 新建一个区的配置：make district NAME=新北区 TOWNS=甲镇,乙街道（见分析人员指南）
	$(PY) -m analysis district

lab: $(STAMP) ## 打开 JupyterLab（内核：安全生产简报）
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

test: $(DEV_STAMP) browser-deps ## 代码检查 + 分层约定 + 全部测试（含真实的 papermill + nbconvert 运行和浏览器测试）
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/lint-imports
	$(BIN)/pytest

test-fast: $(DEV_STAMP) ## 编辑时用的快速测试：tests/unit 与 src/analysis 的 doctest（不启动内核、浏览器和子进程）
	$(BIN)/pytest -q -n 2 -m "not slow" tests/unit src/analysis

# The browser tests need headless Chromium and, for a legible screenshot, a CJK font; the
# Word rendering test needs headless LibreOffice (Debian packages). Installed when missing
# and we may (root with apt-get).
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1 || ! command -v soffice >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -q CJK; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "安装 chromium、libreoffice-writer-nogui、中文字体和 poppler-utils（Debian 包，用于 PDF、Word 排版和浏览器测试）…"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq chromium libreoffice-writer-nogui fonts-noto-cjk poppler-utils >/dev/null; \
		else \
			echo "提示：PDF、Word 排版和浏览器测试需要 chromium、libreoffice-writer-nogui、fonts-noto-cjk 和 poppler-utils（Debian 包），请先安装。" >&2; \
		fi; \
	fi

lint: $(DEV_STAMP) ## 只做代码检查
	$(BIN)/ruff check $(LINTED)

format: $(DEV_STAMP) ## 自动格式化代码（与 make test 检查的范围相同）
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix $(LINTED)

bench: $(STAMP) ## 性能基准：单份简报、指标引擎、简报准备（prepare）、批量、各输出格式、两百万行读取的时间与内存峰值（常规做法默认实测10份后推算，BENCH_STOCK_SAMPLE=0 全部实测）
	$(PY) benchmarks/bench_report.py
	$(PY) benchmarks/bench_indicators.py
	$(PY) benchmarks/bench_prepare.py
	$(PY) benchmarks/bench_batch.py
	$(PY) benchmarks/bench_formats.py
	$(PY) benchmarks/bench_load_scale.py

sample-data: $(STAMP) ## 重新生成合成示例数据 data/sample/ 和 data/sample_city/
	$(PY) -m analysis.tools.sample_data && $(PY) -m analysis.tools.sample_data --district city

dictionary: $(STAMP) ## 重新生成数据字典 docs/数据字典.md
	$(PY) -m analysis.tools.data_dictionary

clean: ## 删除 outputs/（含中断运行留下的 .runs 暂存）和缓存（保留环境）
	rm -rf outputs/* outputs/.cache outputs/.runs outputs/.data-fingerprints.json outputs/.plans.json \
		.pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
