"""Where the phrase readers used to live, kept so that imports written against it still work.

New code imports from the module named for what it reads: `sentences` (spans, sentences),
`scope` (periods in scope), `prose` (counts in sentences), `youngest`, `codes` (offence codes),
`scalars` (reference, date, force, attachments, the reply's outcome), `exemptions`.
"""

from extract.readers.codes import offence_codes
from extract.readers.prose import StandaloneCount, standalone_counts
from extract.readers.scalars import attachment_mentions, force, reference, response_date
from extract.readers.scope import Scope, period_at, period_near, scope
from extract.readers.sentences import Span, doc_sentences, sentences, to_int
from extract.readers.youngest import Youngest, youngest_victim

__all__ = ["Scope", "Span", "StandaloneCount", "Youngest", "attachment_mentions",
           "doc_sentences", "force", "offence_codes", "period_at", "period_near", "reference",
           "response_date", "scope", "sentences", "standalone_counts", "to_int",
           "youngest_victim"]
