"""One registry of domains (``epmo.domains``): the packages, the models and the import contracts
in ``pyproject.toml`` agree with it, and only route modules reach the web, the CLI or FastAPI."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import grimp

import epmo.models
from epmo.domains import DOMAINS

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "epmo"
KERNEL_PACKAGES = {"engines", "web", "cli", "files", "migrations"}
DOMAIN_FILES = ("models.py", "service.py", "repository.py", "policy.py", "api.py", "ui.py")
ROUTE_SIDE = re.compile(r"^(api|ui|cli|forms|\w+_ui)$")


def _contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    return {contract["name"].split(" (")[0]: contract for contract in contracts}


def _packages() -> set[str]:
    return {path.parent.name for path in SRC.glob("*/__init__.py")}


def test_every_domain_package_is_registered() -> None:
    with_domain_files = {name for name in _packages() - KERNEL_PACKAGES
                         if any((SRC / name / file).exists() for file in DOMAIN_FILES)}
    assert with_domain_files == set(DOMAINS)
    assert _packages() - KERNEL_PACKAGES == set(DOMAINS), "a package that is neither"
    assert len(DOMAINS) == len(set(DOMAINS))


def test_models_loads_every_domains_tables() -> None:
    on_disk = {f"epmo.{name}.models" for name in DOMAINS if (SRC / name / "models.py").exists()}
    assert {module.__name__ for module in epmo.models.MODELS} == on_disk
    assert on_disk <= set(sys.modules)


def test_the_layers_contract_places_every_domain_once() -> None:
    layers = _contracts()["Domains are layered"]["layers"]
    placed = [name.strip() for layer in layers for name in re.split(r"[|:]", layer)]
    assert sorted(placed) == sorted(DOMAINS)


def test_kernel_and_engines_contracts_forbid_every_domain() -> None:
    contracts = _contracts()
    for name in ("Engines are pure", "The kernel imports no domain and no interface"):
        forbidden = set(contracts[name]["forbidden_modules"])
        assert {f"epmo.{domain}" for domain in DOMAINS} <= forbidden, name


def test_every_split_page_module_is_a_route_logic_may_not_import() -> None:
    forbidden = set(_contracts()["Routes are not imported by domain logic"]["forbidden_modules"])
    split = {f"epmo.{path.parent.name}.{path.stem}" for path in SRC.glob("*/*_ui.py")}
    assert split <= forbidden


def test_only_route_modules_import_the_web_the_cli_or_fastapi() -> None:
    graph = grimp.build_graph("epmo", include_external_packages=True)
    outside = ("fastapi", "epmo.web", "epmo.cli")
    offenders = {
        module for module in graph.modules
        if module.split(".")[1:2] and module.split(".")[1] in DOMAINS
        and not ROUTE_SIDE.match(module.rsplit(".", 1)[-1])
        and any(imported == prefix or imported.startswith(prefix + ".")
                for imported in graph.find_modules_directly_imported_by(module)
                for prefix in outside)
    }
    assert offenders == set()
