"""Each test module installs Argos models into a folder of its own (tests/conftest.py)."""

from __future__ import annotations

from webapp import engine


def test_a_module_starts_with_no_models(argos_packages):
    from argostranslate import settings

    assert settings.package_data_dir == argos_packages
    assert settings.package_dirs == [argos_packages]
    assert engine.installed_models() == []  # whatever other modules installed


def test_models_installed_here_live_in_this_module_folder(argos_packages, zh_model):
    assert zh_model.path.parent == argos_packages
    assert [m.path for m in engine.installed_models()] == [zh_model.path]
    engine.remove_model("zh", "en")
    assert engine.installed_models() == []
