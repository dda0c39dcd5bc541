"""Study facts from abstract sections: design labels, sample sizes, periods, setting, population.

Everything is rule-based. The lexicons and gazetteers are the tables at the top of the module;
the functions below only apply them. Which sections feed which field is decided by role:
background sentences count only when they speak of this study ("This discussion paper …"),
conclusions never count, and results count for sample sizes only in sentences that report the
sample or study flow ("A total of 3849 patients underwent randomization …").
"""

from __future__ import annotations

import logging

from ingest.extract.study.design import extract_design
from ingest.extract.study.periods import extract_periods
from ingest.extract.study.population import extract_population
from ingest.extract.study.samples import extract_sample_sizes
from ingest.extract.study.scope import sentences_of
from ingest.extract.study.setting import extract_setting
from kb.model.schema import Section, Study

__all__ = ["extract_study"]

log = logging.getLogger(__name__)


def extract_study(sections: list[Section]) -> Study:
    """Design, sample sizes, periods, setting and population of the study the abstract reports."""
    sentences = sentences_of(sections)
    sizes = extract_sample_sizes(sentences)
    study = Study(
        design=extract_design(sentences),
        setting=extract_setting(sentences),
        period=extract_periods(sentences),
        population=extract_population(sentences, sizes),
        sample_sizes=sizes,
    )
    log.debug("study: %d design labels, %d sample sizes, %d periods, %d places",
              len(study.design), len(study.sample_sizes), len(study.period), len(study.setting))
    return study
