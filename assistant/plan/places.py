"""The places a Camera di commercio is named after: Italian provinces (with the former ones),
regions, and the names merged Camere took ('Romagna', 'Maremma e Tirreno', 'Riviere di
Liguria'). 'la Camera di Diritto Annuale' names no place, so it names no Camera; 'la Camera
di commercio di X' always names one, place list or not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.textnorm import fold

from . import cues
from .catalog import city
from .lexicon import STOP

_PROVINCES = """
Agrigento; Alessandria; Ancona; Aosta; Arezzo; Ascoli Piceno; Asti; Avellino; Bari; Barletta-Andria-Trani;
Belluno; Benevento; Bergamo; Biella; Bologna; Bolzano; Brescia; Brindisi; Cagliari; Caltanissetta;
Campobasso; Carbonia-Iglesias; Caserta; Catania; Catanzaro; Chieti; Como; Cosenza; Cremona; Crotone;
Cuneo; Enna; Fermo; Ferrara; Firenze; Foggia; Forlì-Cesena; Forlì; Cesena; Frosinone; Genova; Gorizia;
Grosseto; Imperia; Isernia; La Spezia; Spezia; L'Aquila; Latina; Lecce; Lecco; Livorno; Lodi; Lucca; Macerata;
Mantova; Massa-Carrara; Massa Carrara; Matera; Medio Campidano; Messina; Milano; Modena; Monza e Brianza;
Monza; Napoli; Novara; Nuoro; Ogliastra; Olbia-Tempio; Oristano; Padova; Palermo; Parma; Pavia; Perugia;
Pesaro e Urbino; Pesaro; Pescara; Piacenza; Pisa; Pistoia; Pordenone; Potenza; Prato; Ragusa; Ravenna;
Reggio Calabria; Reggio Emilia; Reggio nell'Emilia; Reggio di Calabria; Rieti; Rimini; Roma; Rovigo;
Salerno; Sassari; Savona; Siena; Siracusa; Sondrio; Sud Sardegna; Taranto; Teramo; Terni; Torino;
Trapani; Trento; Treviso; Trieste; Udine; Varese; Venezia; Verbano-Cusio-Ossola; Vercelli; Verona;
Vibo Valentia; Vicenza; Viterbo
"""
_REGIONS = """
Abruzzo; Basilicata; Calabria; Campania; Emilia-Romagna; Emilia Romagna; Friuli-Venezia Giulia;
Friuli Venezia Giulia; Lazio; Liguria; Lombardia; Marche; Molise; Piemonte; Puglia; Sardegna; Sicilia;
Toscana; Trentino-Alto Adige; Alto Adige; Umbria; Valle d'Aosta; Veneto
"""
# names of Camere born from mergers, besides their provinces' names
_MERGED = """
Romagna; Emilia; Maremma e Tirreno; Riviere di Liguria; Venezia Giulia; Irpinia Sannio; Chieti Pescara;
Gran Sasso d'Italia; Sud Est Sicilia; Delta Lagunare; Monte Rosa Laghi Alto Piemonte; Toscana Nord-Ovest;
Calabria Centrale; Frosinone Latina; Arezzo-Siena; Brindisi-Taranto; Ferrara e Ravenna; Venezia Rovigo;
Treviso-Belluno; Pordenone-Udine; Cagliari-Oristano; Milano Monza Brianza Lodi; Catanzaro Crotone Vibo Valentia
"""


@lru_cache(maxsize=1)
def _names() -> tuple[str, ...]:
    """Every place, folded, longest first (so 'reggio emilia' wins over a shorter prefix)."""
    names = {fold(n.strip()) for block in (_PROVINCES, _REGIONS, _MERGED) for n in block.split(";") if n.strip()}
    return tuple(sorted(names, key=len, reverse=True))


def leading_place(folded: str) -> str | None:
    """The place `folded` (words after 'Camera di') opens with, as folded text; None if none."""
    text = folded.strip()
    for name in _names():
        if re.match(rf"{re.escape(name)}(?![a-z])", text):
            return name
    return None


@dataclass(frozen=True)
class _Camere:
    """The Camere of a store, ready to be looked for in a question: each one's folded city, the
    first word its name starts with, and one pattern of every city (and, with several Camere,
    every part of a merged one's name: 'Forlì' for Forlì-Cesena) mapped back to the Camera."""

    enti: tuple[str, ...]
    cities: tuple[str, ...]
    firsts: tuple[str, ...]
    places: dict[str, str]  # a folded place -> its Camera
    bare: re.Pattern[str] | None  # the places alone ('quanto ha speso Ferrara?')


@lru_cache(maxsize=64)
def _camere(enti: tuple[str, ...]) -> _Camere:
    cities = tuple(fold(city(e)) for e in enti)
    several = len(enti) > 1
    places: dict[str, str] = {}
    for ente, full in zip(enti, cities):
        places.setdefault(full, ente)
        for part in re.split(r"[- ]", full) if several else ():
            if len(part) > 3:
                places.setdefault(part, ente)
    alternation = "|".join(re.escape(p) for p in sorted(places, key=len, reverse=True))
    # 'a Ravenna' is the province, unless the store holds several Camere: then 'a Ferrara' tells which
    lead = r"(?<!provincia di )" if several else r"(?<!\ba )(?<!\bin )(?<!\bad )(?<!provincia di )"
    bare = re.compile(rf"{lead}\b({alternation})\b") if places else None
    firsts = tuple(c.split()[0].split("-")[0] if c else "" for c in cities)
    return _Camere(enti, cities, firsts, places, bare)


def read_ente(r, enti: tuple[str, ...]) -> tuple[str | None, str | None]:
    """The Camera the question names (the store's name and the words that named it), or only the
    words of a Camera the store does not hold; the words are blanked out of the reading `r`."""
    camere = _camere(tuple(enti))
    said = None
    for m in cues.ENTE.finditer(r.text):
        words = []
        for word in m.group(1).split():  # the city's words, up to the first function word
            if word in STOP:
                break
            words.append(word)
        said_words = fold(" ".join(words))
        for ente, name, first in zip(camere.enti, camere.cities, camere.firsts):
            if words and said_words.startswith(first):
                # the Camera's words only: 'ha anomalie' after 'CCIAA di Ravenna' still asks
                said_city = re.match(r"\S+(?:\s+\S+){%d}" % (min(len(words), len(name.split())) - 1), m.group(1))
                r.blank(m.start(), m.start(1) + (said_city.end() if said_city else len(m.group(1))))
                return ente, city(ente)
        place = leading_place(m.group(1))
        if place is None and not cues.ENTE_FOR_SURE.match(m.group(0)):
            continue  # 'la camera di diritto annuale': no place, so no Camera ('diritto annuale' asks)
        said = said or (place.title() if place else " ".join(words[:2]).title() if words else None)
    if said is None and camere.bare is not None:  # the city alone ('quanto ha speso Ferrara?')
        m = camere.bare.search(r.text)
        if m:
            r.blank(m.start(), m.end())
            ente = camere.places[m.group(1)]
            return ente, city(ente)
    head = re.match(r"^\s*([a-z][a-z' -]{2,30}?)\s*[:,]", r.text)
    if head and head.group(1).strip() in camere.cities:
        ente = camere.enti[camere.cities.index(head.group(1).strip())]
        r.blank(head.start(1), head.end())
        return ente, city(ente)
    return None, said
