"""The places a Camera di commercio is named after: Italian provinces (with the former ones),
regions, and the names merged Camere took ('Romagna', 'Maremma e Tirreno', 'Riviere di
Liguria'). 'la Camera di Diritto Annuale' names no place, so it names no Camera; 'la Camera
di commercio di X' always names one, place list or not."""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.textnorm import fold

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
