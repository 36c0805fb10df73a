"""Translation engine: the one adapter around Argos Translate and CTranslate2.

``packages`` finds, installs and removes Argos packages (``archive`` checks an ``.argosmodel``
before anything is installed); ``inference`` loads a package's model once and translates in
batches. Nothing heavy is imported with this package: argostranslate and ctranslate2 load on
first use.
"""

from webapp.engine.archive import validate_archive
from webapp.engine.inference import (
    DEFAULT_BATCH_TOKENS,
    alternatives,
    configure,
    translate_sentences,
)
from webapp.engine.packages import (
    INSTALL_HINT,
    ModelInfo,
    available_models,
    find_model,
    install_file,
    install_from_index,
    installed_models,
    remove_model,
    use_folders,
)

__all__ = [
    "DEFAULT_BATCH_TOKENS",
    "INSTALL_HINT",
    "ModelInfo",
    "alternatives",
    "available_models",
    "configure",
    "find_model",
    "install_file",
    "install_from_index",
    "installed_models",
    "remove_model",
    "translate_sentences",
    "use_folders",
    "validate_archive",
]
