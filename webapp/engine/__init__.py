"""Translation engine: the one adapter around Argos Translate and CTranslate2.

``packages`` finds, installs and removes Argos packages (``archive`` checks an ``.argosmodel``
before anything is installed); ``inference`` loads a package's model once and translates in
batches. Nothing heavy is imported with this package: argostranslate and ctranslate2 load on
first use.

Glossary. A sentence with glossary terms reaches ``translate_sentences`` with each source
term replaced by its English term (``webapp.glossary.prepare``; Bergamot's terminology option
does the same), rather than decoded as is with the best beam hypothesis containing the term
picked afterwards. Measured with ``tests/bench/bench_glossary.py`` on the test models (22 seed
sentences, 40 CC-CEDICT terms): substitution put every term in place on the copying model
(22/22) and left the rest of each sentence exactly as the plain translation (similarity 1.000),
at the cost of one plain decode (3.9 ms/sentence); the 8-best pick found the term in no
hypothesis (0/22) and costs three times as much (10.8 ms/sentence), because a beam only holds
what the model would say anyway: a term it does not know is in none of them. Real Argos zh→en
models copy a Latin-script span they meet in Chinese input, so substitution carries over; the
shifting test model, which never copies, shows the limit of both (0/22): the reader's checks
then flag the sentence, and its one-click fix puts the term in where it has a clear place.
"""

from webapp.engine.archive import validate_archive
from webapp.engine.inference import (
    DEFAULT_BATCH_TOKENS,
    alternatives,
    configure,
    preload,
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
    installed_stamp,
    remove_model,
    use_folders,
)
from webapp.engine.scoring import Analysis, Judging, Word, analyse, judge, score

__all__ = [
    "Analysis",
    "DEFAULT_BATCH_TOKENS",
    "INSTALL_HINT",
    "Judging",
    "ModelInfo",
    "Word",
    "alternatives",
    "analyse",
    "available_models",
    "configure",
    "find_model",
    "install_file",
    "install_from_index",
    "installed_models",
    "installed_stamp",
    "judge",
    "preload",
    "remove_model",
    "score",
    "translate_sentences",
    "use_folders",
    "validate_archive",
]
