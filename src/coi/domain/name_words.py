"""Which words of an organisation's name may go unsaid, and how one written word stands for another.

A name is found in text even when people drop a word of it, but only a word that does
not tell the organisation apart: a place ("Plymouth"), a generic word ("Hospice",
"Trust", "Services"), a legal form. "St Lukes Hospice" names St Luke's Hospice
Plymouth; "Plymouth Hospice" does not, because it drops "Luke", the word that says which
hospice. The lists below are the words that never tell a UK voluntary, NHS or council
body apart on their own; a register adds its own (words many of its names share).

A written word stands for a name's word when it is the same word, the same word with a
dropped apostrophe or a plural "s" ("Lukes", "Barnados" for "Barnardo"), or a
misspelling of it close enough by rapidfuzz's ratio. Pure functions; no state.
"""

from __future__ import annotations

from collections.abc import Collection

from rapidfuzz import fuzz


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words too common to make two names alike.
STOPWORDS = frozenset(
    {"the", "and", "of", "for", "in", "on", "at", "to", "a", "an", "with", "by", "from"}
)

# What organisations are, rather than which one: each of these is shared by many bodies.
GENERIC_WORDS = _wordset(
    """
    trust trusts foundation charity charitable society association assoc group groups project
    projects partnership partnerships partners network networks forum alliance federation
    consortium collaborative collective coalition council councils board committee service
    services centre center centres hub community communities care carers support health
    healthcare housing homes home hospital hospitals hospice hospices church school schools
    college academy university club nhs ft clinic surgery practice medical voluntary vcs vcse
    cvs action advice independent living people young children child family families youth
    older women men mental wellbeing recovery saint team teams initiative programme unit
    agency office department company limited ltd cic cio plc llp incorporated inc social
    sports arts centre city county district borough parish town village local national
    regional uk england english british britain united kingdom international south west
    access transport house hall park country road street avenue lane fc football
    north east southwest southeast northwest northeast central greater new old
    """
)

# Places that name many bodies in the region the register serves, and the UK's larger ones.
PLACE_WORDS = _wordset(
    """
    plymouth devon cornwall torbay torquay paignton exeter barnstaple bideford tiverton
    newton abbot totnes dartmouth kingsbridge ivybridge tavistock okehampton plympton
    plymstock saltash liskeard bodmin truro falmouth penzance camborne redruth newquay
    launceston bude austell somerset dorset bristol bath taunton yeovil gloucestershire
    wiltshire swindon hampshire southampton portsmouth london birmingham manchester
    liverpool leeds sheffield newcastle nottingham leicester coventry cardiff swansea
    edinburgh glasgow belfast wales scotland ireland kent sussex surrey essex norfolk
    suffolk yorkshire lancashire cumbria durham northumberland derbyshire staffordshire
    cheshire shropshire herefordshire worcestershire warwickshire oxfordshire
    berkshire buckinghamshire hertfordshire bedfordshire cambridgeshire lincolnshire
    dartmoor exmoor tamar plym stonehouse devonport keyham stoke efford estover whitleigh
    """
)

WEAK_WORDS = STOPWORDS | GENERIC_WORDS | PLACE_WORDS

# Where a body works: two of these may go unsaid together ("Memory Matters" for Memory
# Matters South West), where two generic words may not ("St Luke's" is a church, a
# school or a hospice).
REGION_WORDS = (
    PLACE_WORDS
    | STOPWORDS
    | _wordset(
        """
    north south east west southwest southeast northwest northeast central greater uk england
    wales scotland britain city county district borough
    """
    )
)

# Words that, written right after a name, make it the name of another body or place:
# "Plymouth Argyle Football Club" is not Plymouth Argyle Community Trust, "Mount Edgcumbe
# House" not Mount Edgcumbe Hospice.
BODY_WORDS = _wordset(
    """
    church chapel school college academy club fc football house hall park country road street
    avenue lane close estate hospital surgery practice clinic hospice centre center trust
    foundation society association council
    """
)

# Acronyms in everyday NHS and council papers: initials that spell one of these are that,
# not an organisation that happens to have the same initials.
COMMON_ACRONYMS = _wordset(
    """
    AOB NHS ICB ICS CCG CQC VCS VCSE CVS SEND CAMHS JSNA KPI KPIS MOU SLA GP GPS PCN PCNS
    LA LAS DBS DPA GDPR HR IT ICT FOI PPE UK EU CEO CFO COO MP MPS TBC TBA ETA FAQ
    AMHP CMHT CPN CPA HSE ONS DWP DHSC MHCLG UKHSA OHID ADASS LGA LGO NICE PHE
    """
)

# A misspelt word stands for a name's word at this rapidfuzz ratio or more.
TYPO_RATIO = 80.0
_TYPO_MIN_LENGTH = 5


def without_plural(word: str, other: str) -> bool:
    """``word`` is ``other`` with an "s" on the end: a dropped apostrophe ("Lukes") or a plural."""
    return len(word) >= 4 and word.endswith("s") and word[:-1] == other


def stands_for(written: str, word: str, *, alone: bool, known: Collection[str] = ()) -> float:
    """How well the written word stands for a name's word: 1.0 the same, less a variant, 0 not.

    ``alone`` is true when the word is the whole name: a one-word name's misspelling must
    keep its first and last letters ("Barnados" for Barnardo's; not "Barnard", a place).
    A word in ``known`` (the words of the register's names) is never a misspelling of
    another: "Carers" is not a misspelt "Careers" in a register that has both.
    """
    if written == word:
        return 1.0
    if without_plural(written, word) or without_plural(word, written):
        return 0.95
    # A dropped apostrophe and a misspelling at once ("Barnados" for "barnardo").
    stem = written[:-1] if written.endswith("s") and not word.endswith("s") else written
    if min(len(stem), len(word)) < _TYPO_MIN_LENGTH or stem[0] != word[0] or written in known:
        return 0.0
    if alone and stem[-1] != word[-1]:
        return 0.0
    ratio = fuzz.ratio(stem, word, score_cutoff=TYPO_RATIO)
    return 0.9 if ratio else 0.0


def as_compared(written: str, word: str) -> str:
    """The written word as its score compares it: without the dropped apostrophe's "s"."""
    if written.endswith("s") and not word.endswith("s") and len(written) > 1:
        return written[:-1]
    return written
