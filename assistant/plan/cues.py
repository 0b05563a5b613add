"""The words that ask: regular expressions over the folded question (lower case, no accents).

Each table maps a value of the plan to the phrasings that signal it. They are read on the
question once the names it contains (objectives, indicators, table lines, the Camera) have
been taken out, so a word inside a name ('Media indicatori di risultato') never asks.
Order matters where noted: the first act that matches wins.
"""

from __future__ import annotations

import re

from ingest.patterns import compiled

from .lexicon import stem_set


def rx(pattern: str) -> re.Pattern[str]:
    return compiled(pattern)  # the program kept from an earlier process: no parsing (ingest/patterns.py)


# -- conditions (read first; their words then no longer ask for a measure) -----------------------

BELOW_TARGET = rx(
    r"\bsotto\s+(?:il\s+|al\s+|la\s+|le\s+)?(?:target|soglia|obiettivo|attese|valore atteso)\b"
    r"|\bnon\s+(?:hanno\s+|ha\s+|sono\s+|e'?\s+|siano\s+)?(?:stat[oaie]\s+)?(?:pienamente\s+|del tutto\s+)?raggiunt\w*"
    r"|\bmancat[oaie]\b|\bscostament[a-z]*\b(?!\s+(?:tra|fra)\s+(?:il\s+)?prevent)|\bdeviazion\w*"
    r"|\braggiunt[oaie] (?:solo )?(?:in parte|parzialmente)\b|\bparzialmente raggiunt\w*|\bnon pienamente\b"
    r"|\binferior\w* (?:al|ai) target|\bandat[oaie] male|\bin ritardo\b|\bnon in linea col target"
    r"|\bnon (?:ha|hanno|e'?|sono) (?:funzionat|andat[oaie] bene)\w*|\bandat[oaie] storto\b"
    r"|\bazion[ei] correttiv\w*|\binterventi correttiv\w*"
)
# resource lines against their preventivo: over it ('hanno sforato il preventivo'), or under it
OVER_BUDGET = rx(
    r"\b(?:superat\w*|sforat\w*|oltre|sopra|eccedut\w*|oltrepassat\w*|piu del|piu di quanto)\b(?:\s+\w+){0,2}?\s+"
    r"(?:il\s+|al\s+|del\s+|lo\s+)?(?:preventiv|previst|stanziat)\w*|\bsforament\w*"
)
UNDER_BUDGET = rx(r"\b(?:sotto|meno del|meno di quanto|inferior\w* al)\s+(?:il\s+|al\s+)?(?:preventiv|previst|stanziat)\w*")
# items that reached their target: said of several ('quanti indicatori sono stati raggiunti?',
# 'gli obiettivi che hanno raggiunto il target'); one named item's 'ha raggiunto?' is its achievement
MET = rx(
    r"\b(?:indicatori|obb?iettivi|kpi|aree|target)\b[^?.;]{0,40}?\b(?:pienamente\s+)?(?:raggiunt[oaie]|centrat[oaie]|rispettat[oaie])\b"
    r"|\bquant[ie]\b[^?.;]{0,40}?\b(?:raggiunt[oaie]|centrat[oaie]|rispettat[oaie])\b"
    r"|\b(?:in linea con|in linea col|entro) (?:il |i )?target\b"
)
# beyond the target ('hanno superato il target', 'sopra il target', 'oltre le attese')
ABOVE_TARGET = rx(
    r"\b(?:superat[oaie]|oltrepassat[oaie]|sopra|al di sopra del|oltre|superior\w* al|andat[oaie] oltre)\s+"
    r"(?:di\s+(?:molto|tanto)\s+)?(?:il\s+|al\s+|i\s+|ai\s+|le\s+|lo\s+)?(?:target|attese|valore atteso|soglia)\b"
    r"|\b(?:sovra|super)perform\w*|\bsforat[oaie] (?:in positivo|al rialzo)"
)
# items without an actual or a target ('consuntivo mancante', 'indicatori senza target')
MISSING = rx(
    r"\b(?:senza|privi? d(?:i|el)|manca(?:no)?|mancan\w*(?: d(?:i|el))?|non ha(?:nno)?)\s+(?:il\s+|lo\s+|un\s+|i\s+)?"
    r"(?:consuntiv|target|valor[ei]\b|dat[oi]\b|misur)\w*"
    r"|\b(?:consuntiv|target|valor[ei]\b|dat[oi]\b|misur[ae]\b)\w*\s+(?:\w+\s+)?"
    r"(?:mancant\w*|assent\w*|vuot\w*|non (?:indicat|rilevat|compilat|disponibil|inserit|riportat)\w*)"
    r"|\bnon (?:sono )?(?:stat[ie] )?(?:misurat|valutat|rilevat)[ie]\b"
    r"|\btutt[ie]\b.{0,40}\bhann\w* (?:un |il )?(?:consuntiv|target|valor)\w*"
)
# a threshold on a percentage: 'sotto l'80%', 'oltre il 90 %', 'tra 80 e 100', 'peso superiore al 30%'
_PCT = r"(\d{1,3}(?:[.,]\d{1,2})?)(?![\d.,]\d)\s*(%|per\s*cento)?"
BOUND_BETWEEN = rx(rf"\b(?:tra|fra|compres[oaie] tra)\s+(?:il\s+|l'\s*)?{_PCT}\s+e\s+(?:il\s+|l'\s*)?{_PCT}")
BOUND_BELOW = rx(
    rf"\b(?:sotto|inferior\w* (?:a|al|all')|meno d(?:i|el|ell')|minor\w* d(?:i|el|ell')|al di sotto d(?:el|ell')|non oltre)\s*"
    rf"(?:il\s+|l'\s*|al\s+|all'\s*)?{_PCT}|<\s*=?\s*{_PCT}"
)
BOUND_ABOVE = rx(
    rf"\b(?:sopra|superior\w* (?:a|al|all')|oltre|piu d(?:i|el|ell')|maggior\w* d(?:i|el|ell')|almeno|al di sopra d(?:el|ell')|non meno d(?:i|el|ell'))\s*"
    rf"(?:il\s+|l'\s*|al\s+|all'\s*)?{_PCT}|>\s*=?\s*{_PCT}"
)
# 'un peso del 50%', 'raggiunti al 100%': the measure named right before the number
BOUND_EQUAL = rx(
    rf"\b(?:pes[oa]|pesano|raggiungimento|punteggio)\s+(?:pari\s+a(?:l|ll')?|uguale\s+a(?:l|ll')?|del|dell'|di|al|all')\s*{_PCT}"
    r"|\b(?:pes[oa]|pesano)\s+(\d{1,3}(?:[.,]\d{1,2})?)\s*(%)"
    rf"|\braggiunt[oiae]\s+(?:al|all')\s*{_PCT}"
)
BOUND_ON_WEIGHT = rx(r"\bpes[oaie]\b|\bpesano\b|\bpesi\b")
# a threshold without '%' is one only when the question says what it measures
BOUND_MEASURED = rx(r"raggiungiment|\bpes[oaie]\b|\bpesano\b|\bpesi\b|\bpunteggio|\bpercentual|\bgrado\b")
_CHANGE_VERB = r"(?:cambiat|modificat|variat|rivist|spostat|eliminat|abbassat|alzat|ridott|cambi\b|cambia\b|cambiano|modific|differenz|divers)"
_CHANGED_THING = r"(?:target|obb?iettiv|indicator|pes[oi]\b|piano\b|progett)"
TARGET_CHANGED = rx(
    rf"\b{_CHANGE_VERB}\w*\b.{{0,45}}\b{_CHANGED_THING}\w*"
    rf"|\b{_CHANGED_THING}\w*\b.{{0,35}}\b{_CHANGE_VERB}\w*"
    r"|\btarget\w*\b.{0,35}\b(?:aumentat|cresciut|diminuit)\w*"
    r"|\btarget\w*\b.{0,35}\b(?:piu alt|piu bass|superior|inferior)\w*.{0,30}\b(?:rispetto|che nel|di quell|dell'anno)"
    r"|\bcambi di target|\brispetto al piano\b|\b(?:tra|fra) (?:il )?piano e (?:la )?relazione"
    r"|\bin corso d'?\s*anno\b|\bsezione 5\b"
)
# questions about the method or the checks, which name no item: their words are no name
NAMES_NOTHING = rx(r"\b(?:sogli[ae]|fasce|scala|criteri) (?:di|della) (?:valutazione|raggiungimento)"
                   r"|\b(?:cosa|che cosa) (?:deve|devo|dovrebbe|bisogna|occorre) (?:controllare|verificare)")
# 'la differenza tra consuntivo e target': the gap of a result, not a change of target
RESULT_GAP = rx(r"\b(?:differenz|scostament|distanz)\w* (?:tra|fra|dal|rispetto al) (?:il |l'\s*)?(?:consuntiv|valore|risultat|target)\w*"
                r"(?:.{0,25}\b(?:consuntiv|valore|risultat|target)\w*)?")
# the words a condition uses up: they no longer ask for a measure (the subject nouns stay)
CONDITION_WORDS = rx(
    rf"\b{_CHANGE_VERB}\w*|\btarget\b|\bsoglia\b|\bpiano\b|\brelazione\b|\bin corso d'?\s*anno\b"
    r"|\brispetto al\b|\bcambi\b"
)

# -- acts, in the order they are tried ------------------------------------------------------------

EXPORT = rx(
    r"\besport(?:a|are|ami|ala|alo|ali|ale|ate|atemi|amel[aoie]|azione (?:del|dei|della|delle) (?:capitol|sezion|bozz)\w*)\b"
    r"|\bscaric\w*|\bdownload\b|\bfile\b|\bin (?:word|docx|markdown|md)\b|\.docx\b|\.md\b"
    r"|\bformato (?:word|docx|markdown)"
)
FORMATS = [("md", rx(r"\bmarkdown\b|\bmd\b|\.md\b")), ("docx", rx(r"\bword\b|\bdocx\b|\.docx\b"))]
DRAFT = rx(
    r"\bbozz[ae]\b|\bscriv\w*|\baggiung(?:i|ere|ete)\b|\bredig\w*|\bprepar\w*|\bgener(?:a|i|are|ami)\b|\bstend\w*"
    r"|\b(?:un|il) testo (?:su|sul|sulla|sullo|sui|sugli|per|del|della|da)\b|\bparagrafo\b|\bfammene\b|\bfanne\b"
    r"|(?<!dimmi )(?<!dicci )(?<!raccontami )\bqualcosa (?:sugli|sui|sulla|sul|da mettere)"
)
CHECK = rx(
    r"\banomali\w*|\bincongruen\w*|\bincoeren\w*|\berror[ei]\b|\bdiscrepan\w*|\bcoerent\w*|\bcorrispond\w*"
    r"|\b(?:cosa|che cosa) (?:deve|devo|dovrebbe|bisogna|occorre) (?:controllare|verificare)|\bda (?:controllare|verificare)\b"
    r"|\bsenza (?:una )?caus\w*|\btorn(?:a|ano)\b|\bgiust[oaie]\b|\bcorrett[oaie]\b|\bcontroll(?:a|are|ate|i|o)\b|\brilievi\b"
    r"|\bsomm\w*\s+(?:a|al)\s+100|\bsomma\b.{0,60}\b(?:fa|faccia|e|sia|da|dia)\s+100\b"
    r"|\bquadra(?:no)?\b|\bproblem[ai]\b|\bda verificare|(?<!numero di )(?<!quante )(?<!\bn\. )\bverifich\w*|\bincoerenz\w*"
)
EXPLAIN = rx(r"\bperch[e']|\bperche\b|\bcome mai\b|\bper quale motiv|\bcaus[ae]\b|\bmotiv[oi]\b|\bragion[ei]\b")
RANK = rx(
    r"\bmiglior[ei]\b|\bpeggior[ei]\b|\bclassifica\b|\bgraduatoria\b|\bmassim[oa]\b|\bminim[oa]\b"
    r"|\b(?:quale?|qual|a quale|chi|dove|in cosa|in che cosa)\b.*\b(?:piu|meno|peggio|meglio)\b"
    r"|\b(?:il|la|i|le|gli) (?:\w+ ){0,3}(?:piu|meno) (?:alt|bass|elevat|pesant)\w*"
    r"|\b(?:con|di|a|ha|hanno|abbia|abbiano) (?:il |un )?(?:peso|raggiungimento|punteggio) (?:piu |meno )?"
    r"(?:maggior|minor|alt|bass|elevat)\w*(?! (?:di|del|dell'|della|a|al|all'|alla) ?\d)"
    r"|\bmaggiormente\b|\bdi piu\b|\bin ordine (?:di|per)\b|\bordinat[eiao] (?:per|secondo)\b"
)
# the direction a comparison asks for: 'quali indicatori sono peggiorati?' (both said: none)
TREND_DOWN = rx(r"\bpeggiorat\w*|\bcalat[oaie]\b|\bscesi\b|\bscese\b|\bdiminuit[oaie]\b|\bin calo\b|\bin discesa\b")
TREND_UP = rx(r"\bmigliorat\w*|\bcresciut[oaie]\b|\bsalit[oaie]\b|\baumentat[oaie]\b|\bin crescita\b|\bin aumento\b")
# the participles that ask for a direction: taken out before the names ('è migliorato' never
# names 'Percentuale azioni di miglioramento'), remembered for the act and the trend
TREND_VERB = rx(r"\b(?:migliorat|peggiorat|aumentat|diminuit|cresciut|calat)[oaie]\b")
RANK_WORST = rx(r"peggior|peggio|\bmeno\b|bass|minim|minor|ultim")
COMPARE = rx(
    r"\bconfront\w*|\brispetto (?:a|al|all|alla|ai|agli|alle)\b|\bvs\.?\b|\bversus\b|\bcontro\b|\bdifferenz\w*"
    r"|\bnegli (?:ultimi )?anni\b|\banni precedenti\b|\banno (?:prima|precedente|scorso)\b|\bandamento\b|\btrend\b"
    r"|\bserie storica|\bevoluzion\w*|\bmigliorat\w*|\bpeggiorat\w*|\baumentat\w*|\bdiminuit\w*|\bcresciut\w*"
    r"|\bcalat\w*|\bvariat\w*|\bcambiat\w*|\bprevist\w*|\bpreventiv\w*|\bprevision\w*|\brealizzazione\b"
    r"|\bsforat\w*|\bsuperat\w*|\bin linea con\b"
)
LIST = rx(
    r"\bquali\b|^\s*ci sono\b|\bci sono stat[ie]\b|\belenc\w*|\bmostr\w*|\bdammi (?:i|gli|le|tutt)|\blista\b|\btutt[ie]\b|\bsintesi\b|\briepilog\w*"
    r"|\bpanoramica\b"
)
# a request's opening verb ('elenca ...', 'mostrami ...'): it asks, it never names ('elenco arbitri')
OPENING_VERB = rx(r"^\s*(?:mi\s+|ci\s+)?(?:elenca\w*|mostra\w*|dammi|dimmi|fammi vedere|indica\w*|riporta\w*)\b")
INDICATORS_PLURAL = rx(r"\bindicatori\b|\bkpi\b")
TREE_PLURAL = rx(r"\b(?:indicatori|obb?iettivi|aree|kpi|scostamenti|pesi|rilievi)\b")
TABLE_PLURAL = rx(r"\b(?:risorse|spese|dati|proventi|oneri|interventi)\b")
MISMATCH = rx(r"\bconsuntiv\w*\b.{0,25}\b(?:divers\w*|sbagliat\w*|errat\w*|non corrispond\w*|coerent\w*)")

# -- measures (the strongest first) ---------------------------------------------------------------

COUNT = rx(
    r"\bquant[ie]\s+(?:\w+\s+){0,2}?(?:indicator\w*|obb?iettiv\w*|aree|area|kpi)\b"
    r"|\bnumero\s+(?:di\s+|degli\s+|dei\s+|delle\s+)?(?:indicator|obb?iettiv|aree|kpi)\w*"
)
MEASURES: list[tuple[str, re.Pattern[str]]] = [
    ("weight", rx(r"\bpes[oaie]\b|\bpesano\b|\bpesi\b|\bpesant\w*")),
    ("algorithm", rx(r"\balgoritm\w*|\bformul[ae]\b|\bcome (?:si )?(?:calcol|misur)\w*|\bcome (?:e'?|viene) (?:calcolat|misurat)\w*"
                     r"|\b(?:modalita|metodo) di calcolo|\b(?:sogli[ae]|fasce|scala|criteri) (?:di|della) (?:valutazione|raggiungimento)")),
    ("target", rx(r"\btarget\b|\bvalore atteso|\bsoglia\b|\blimite\b|\bobiettivo da raggiungere"
                  r"|\bprevede il piano\b|\bil piano prevede\b|\bprevist\w* (?:dal|nel) piano\b|\bprogrammat[oaie]\b")),
    ("achievement", rx(
        r"raggiungiment\w*|\braggiunt[oaie]\b|\bcom'?\s*e'?\s*(?:andat|stat)\w*|\bcom'?\s*(?:era|erano)\b"
        r"|\bcome (?:era|erano)\b|\bcome\s+(?:e'?|sono)\s+(?:andat|stat)\w*"
        r"|\bandat[oaie] (?:bene|male|peggio|meglio)\b|\bperformance\b|\bpunteggio\b|\brisultat[oi]\b|\bvalutazion\w*|\bmigliorat\w*"
        r"|\bpeggiorat\w*|\bmiglior[ei]\b|\bpeggior[ei]\b|\bpeggio\b|\bmeglio\b|\bha fatto\b|\bclassifica\b")),
    ("change", rx(
        r"\bvariazion\w*|\baumentat\w*|\bdiminuit\w*|\bcresciut\w*|\bcalat\w*|\bcambiat\w*|\bandamento\b|\btrend\b"
        r"|\bdi quanto\b|\bscostamento (?:tra|fra)\b|\bevoluzion\w*")),
    ("amount", rx(r"\bspes[oaie]?\b|\bspend\w*|\bcost[oiaie]\w*|\bimport[oi]\b|\beuro\b|\bincass\w*|\bliquidat\w*|\bsoldi\b")),
    ("actual", rx(r"\bconsuntiv\w*")),
    ("value", rx(r"\bvalor[ei]\b|\bquant[oaie]\b|\bvale\b|\bvalgono\b|\bammont\w*|\bnumero\b|\bha avuto\b|\bfatt[ei]\b")),
]

ACHIEVEMENT_WORD = rx(r"raggiungiment\w*|\bperformance\b|\bpunteggio\b|\bvalutazion\w*")

# the store itself: 'quali documenti ci sono?', 'in quali anni ci sono dati?', 'quali Camere hai?'
STORE = rx(
    r"\b(?:documenti|file|relazioni|piani)\s+(?:\w+\s+){0,2}?(?:caricat|present|disponibil|archiviat|inserit|importat)\w*"
    r"|\bnello store\b|\bnell'?\s*archivio\b|\bin archivio\b|\bhai caricato\b|\b(?:quali|che) (?:documenti|file)\b"
    r"|\b(?:in|per|su|di) (?:quali|che) anni\b|\b(?:quali|che) (?:anni|annualita|camere|enti)\b(?! \w+ (?:migliorat|peggiorat))"
    r"|\b(?:dati|documenti|anno|anni) (?:piu )?(?:recent|aggiornat|ultim)\w*|\bultimo anno\b|\bfino a (?:che|quale) anno\b"
    r"|\b(?:a )?(?:che|quale) anno (?:arrivano|risalgono|si fermano)\b"
)

# a summary of the year ('riassumi la relazione', 'i numeri principali', 'quadro generale')
SUMMARY = rx(
    r"\briassum\w*|\briepilog\w*|\bsintesi\b|\bnumeri (?:principali|chiave)|\bdati (?:principali|chiave)\b"
    r"|\bquadro (?:generale|complessivo|d'?\s*insieme)|\bin breve\b|\bpanoramica\b|\bin generale\b|\bpunti salienti"
)

NEGATION = rx(r"\bnon\b")

# -- subjects -------------------------------------------------------------------------------------

FINDING = rx(r"\b(?:cosa|che cosa) (?:deve|devo|dovrebbe|bisogna|occorre) (?:controllare|verificare)|\bda (?:controllare|verificare)\b"
             r"|\bsenza (?:una )?caus\w*|\banomali\w*|\bincongruen\w*|\berror[ei]\b|\bdiscrepan\w*|\brilievi\b|\bproblem[ai]\b|\bincoeren\w*")
# the tables an answer reads, by the words that name them
TABLES: list[tuple[str, re.Pattern[str]]] = [
    ("resource", rx(r"\bpreventiv\w*|\b(?:spes\w*|cost\w*|risorse|import\w*|somm\w*)\s+(?:\w+\s+){0,3}?previst\w*|\bal previsto\b"
                    r"|\b(?:rispetto|contro|oltre|sopra|sotto) (?:al |il |a quanto )?previst\w*|\bprevision\w*"
                    r"|\brisorse (?:disponibili|totali)|\bspese sostenute"
                    r"|\brealizzazione\b|\bsforat\w*|\btabella (?:delle )?risorse|\bspese promozionali")),
    ("financial", rx(r"\bbilancio\b|\bproventi\b|\boneri\b|\bavanzo\b|\bdisavanzo\b|\besercizio\b|\bentrate\b")),
    ("intervention", rx(r"\binterventi (?:economici|promozionali)|\bimporti liquidati|\bliquidat\w*|\bspes[oa]\b"
                        r"|\bha speso\b|\bsono andati\b|\bspendere\b|\b(?:destinat|stanziat|investit|erogat)[oaie]\b")),
]
TREE_NOUNS: list[tuple[str, re.Pattern[str]]] = [
    ("indicator", rx(r"\bindicator[ei]\b|\bkpi\b|\bindic[ei]\b")),
    ("objective", rx(r"\bobb?iettiv[oi]\b|\bobietivo\b")),
    ("area", rx(r"\bare[ae]\b")),
    ("ente", rx(r"\bente\b|\bcamera\b|\bcciaa\b|\bcomplessiv\w*|\bglobale\b|\bperformance organizzativa")),
]
# words that name a whole table: read before the names, so 'risorse disponibili' is the table,
# not its line 'Totale risorse'; 'interventi economici' is the interventions table unless the
# question is about the bilancio, where it is a line
TABLE_TITLES: list[tuple[str, re.Pattern[str]]] = [
    ("resource", rx(r"\btabella (?:delle )?risorse\b|\brisorse disponibili(?: e spese sostenute)?|\bspese sostenute\b")),
    ("financial", rx(r"\b(?:sintesi (?:dei )?(?:principali )?)?dati di bilancio\b|\b(?:del|nel|in|secondo il|dal) bilancio\b")),
]
INTERVENTIONS_TABLE = rx(r"\binterventi (?:economici|promozionali)\b|\bimporti liquidati\b")

# the level of objectives asked about: 'obiettivi operativi', 'l'obiettivo strategico peggiore'
OBJECTIVE_LEVEL = rx(r"\bobb?iettiv[oi]\s+(operativ[oi]|strategic[oi])\b")

# 'per area', 'area per area', 'per obiettivo strategico', 'anno per anno' (no article: every one;
# followed by a name, 'per area Sviluppo del territorio', it names one: see parser._group)
GROUP: list[tuple[str, re.Pattern[str]]] = [
    ("area", rx(r"\bper (?:ogni |ciascuna )?area\b(?! \d)|\barea per area\b|\b(?:ciascuna|ogni) area\b(?! \d)")),
    ("objective", rx(r"\bper (?:ogni |ciascun )?obb?iettiv[oi]\b(?! \d)(?!\s+(?:operativ|strategic)\w* \d)|\bobiettivo per obiettivo\b"
                     r"|\b(?:ciascun|ogni) obb?iettivo\b(?! \d)(?!\s+(?:operativ|strategic)\w* \d)")),
    ("year", rx(r"\banno per anno\b|\bper anno\b")),
]

# -- scope ----------------------------------------------------------------------------------------

# 'il Piano della performance': 'della performance' names the document, not a measure
DOCUMENT_TITLE = rx(r"\b(?:piano|relazione) ((?:della|sulla) performance)\b")
YEAR = rx(r"\b(20\d{2})\b")
THIS_YEAR = rx(r"quest['\s]?anno|anno in corso|ultimo anno|anno corrente")
PLAN_RANGE = rx(r"\b(?:piano|ptpct|triennio)\b[^.?!]{0,40}?\b(\d{4}\s*[-/]\s*\d{4})\b")
KPI_CODE = rx(r"\b([a-z]{1,4}\d{1,3}(?:\.\d{1,2})?)\b")  # 'EC27', 'EC02.1': codes of national KPI sets
CODE = rx(r"(?<![\d.,/])(\d{1,2}(?:\.\d{1,2}){1,4})(?![\d,/%]|\.\d)")
AREA_NUMBER = rx(r"\barea\s+(?:strategica\s+)?(?:n\.?\s*)?(\d)\b|\bas\s*(\d)\b")
SECTION_NUMBER = rx(r"\b(?:sezione|capitolo|cap\.?|paragrafo|parte|sez\.?)\s+(\d(?:\.\d)?)\b")
SECTION_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("1", rx(r"principali risultati|risultati raggiunti")),
    ("scostamenti", rx(r"scostament|azioni correttive|sotto target|non raggiunt")),
    ("3.3", rx(r"valutazione complessiva|performance organizzativa")),
    ("5", rx(r"\bmodifiche\b|processo di misurazione|in corso d'?\s*anno|misurazione e valutazione")),
    ("2", rx(r"\bcontesto\b|\brisorse\b|\bbilancio\b")),
    ("all", rx(r"\btutt[ie]\b|\bcomplet\w*|\bintera\b|\bcapitoli\b|\bsezioni\b|\brelazione\b")),
]
ENTE = rx(
    r"\b(?:camera(?:\s+di\s+commercio)?\s+(?:di|della|del|dell')|cciaa(?:\s+(?:di|della|del|dell'))?"
    r"|c\.c\.i\.a\.a\.?(?:\s+di)?|ente camerale\s+di)\s*([a-z][a-z'-]*(?:[ -][a-z][a-z'-]*){0,2})"
)
# the words that name a Camera whatever follows ('Camera di commercio di X', 'CCIAA di X'); after a
# bare 'camera di' only a place names one (see `places`)
ENTE_FOR_SURE = rx(r"camera\s+di\s+commercio|cciaa|c\.c\.i\.a\.a|ente camerale")
# 'e quanti no?', 'e gli altri?': the items the previous question left out
THE_OTHERS = rx(r"\b(?:quanti|quante|quali|e) no\b|\bgli altri\b|\ble altre\b|\bi restanti\b|\bquelli che no\b")
FOLLOWUP_START = rx(r"^\s*(?:e|ed|ma|invece|anche|mentre|allora|quindi|piuttosto|solo|soltanto|tra questi|di questi|quell[ie]|quest[ie])\b")
FOLLOWUP_CLITIC = rx(
    r"\b(?:fammene|fanne|fammela|scrivila|scrivimela|preparamela|esportal[aoei]|scarical[aoei]|mandamela"
    r"|esportamel[aoei])\b"
)
WHY_ONLY = rx(r"^\s*(?:e\s+)?(?:perch[e']?|come mai|per quale motivo|quali (?:sono )?le cause)\W*$")
NARRATIVE_ONLY = rx(r"^\s*(?:quando|chi|dove|in che data|con quale delibera|fino a quando)\b"
                    r"|^\s*(?:che )?cosa (?:si )?(?:dice|dicono|scrive|racconta|riporta)\b")

# stems of the words that ask rather than name: left out of what a name must explain
CUE_STEMS = stem_set(
    "quanto quanti quante qual quale valore valori consuntivo target peso pesa pesano pesi raggiungimento raggiunto "
    "raggiunti risultato risultati andato andata andati come cosa indicatore indicatori obiettivo obiettivi "
    "strategico strategici operativo operativi area aree ente camera kpi dati dato numero totale anno vale valgono "
    "speso spesa spese importo importi costi costato costati grado livello confronta rispetto preventivo previsto "
    "consuntivi algoritmo misure calcola calcolato formula variazione andamento trend fatto fatti effettuati "
    "realizzati stati sopra sotto ultimi precedenti dimmi dammi mostrami qual percentuale sono tutti tabella "
    "bilancio disponibili sostenute migliore peggiore migliori peggiori massimo minimo classifica alto alta "
    "basso bassa performance complessiva complessivo cambiato cambiati cambiata modificato modificati modifiche "
    "variato variati rivisto rivisti spostato spostati eliminato eliminati abbassato alzato differenze diverso "
    "sotto soglia scostamenti scostamento raggiunti mancati avuto avuta avuti ottenuto ottenuta registrato "
    "registrata dice indica vorrei sapere fammi vedere pesato pesata pesati pesate oiv media medio migliorato migliorata migliorati migliorate peggiorato "
    "peggiorata peggiorati peggiorate aumentato aumentata aumentati diminuito diminuita diminuiti cresciuto cresciuta "
    "cresciuti calato calata calati sceso scesa scesi salito salita saliti era erano ordine ordinati ordinate graduatoria"
)

# the words that ask, as written: a question's typo of one of them is read as it ('targhet')
ASKING_WORDS = tuple(sorted(set("""
target raggiungimento raggiunto raggiunti obiettivo obiettivi indicatore indicatori scostamento scostamenti
consuntivo consuntivi preventivo bilancio proventi oneri interventi economici promozionali spese speso
confronta rispetto variazione andamento anomalie incongruenze controlla verifica bozza scrivi esporta
sezione capitolo peso pesi area aree strategico strategici operativo operativi quanto quanti quali
modificati cambiati perche migliore peggiore classifica risorse disponibili sostenute personale
""".split())))

# every pattern that asks: what the parser counts as understood (its confidence)
ALL: tuple[re.Pattern[str], ...] = (
    BELOW_TARGET, MET, ABOVE_TARGET, MISSING, BOUND_BETWEEN, BOUND_BELOW, BOUND_ABOVE, BOUND_EQUAL, TARGET_CHANGED,
    EXPORT, DRAFT, CHECK, EXPLAIN, RANK, COMPARE, LIST, TREE_PLURAL, TABLE_PLURAL, COUNT,
    FINDING, *(p for _, p in MEASURES), *(p for _, p in TABLES), *(p for _, p in TREE_NOUNS), *(p for _, p in GROUP),
    *(p for _, p in SECTION_WORDS), *(p for _, p in FORMATS), THIS_YEAR, SECTION_NUMBER, SUMMARY,
)
