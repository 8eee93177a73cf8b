"""pyproject.toml is the single source of dependencies; environment.yml must describe the same."""

import tomllib

import yaml

from analysis import config


def _pyproject():
    return tomllib.loads((config.PROJ_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_environment_yml_lists_exactly_the_pyproject_dependencies():
    project = _pyproject()["project"]
    wanted = set(project["dependencies"]) | set(project["optional-dependencies"]["dev"])
    env = yaml.safe_load((config.PROJ_ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = {d for d in pip_section if not d.startswith("-e")}
    assert listed == wanted
    assert "-e ." in pip_section


def test_environment_yml_uses_the_same_python():
    project = _pyproject()["project"]
    env = yaml.safe_load((config.PROJ_ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "python=3.11" in env["dependencies"]
    assert project["requires-python"].startswith(">=3.11")


def test_every_dependency_is_pinned():
    project = _pyproject()["project"]
    deps = project["dependencies"] + project["optional-dependencies"]["dev"]
    assert all("==" in d for d in deps), deps


def test_the_makefile_uses_the_conda_environment_environment_yml_creates():
    env = yaml.safe_load((config.PROJ_ROOT / "environment.yml").read_text(encoding="utf-8"))
    makefile = (config.PROJ_ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"ifeq ($(CONDA_DEFAULT_ENV),{env['name']})" in makefile
