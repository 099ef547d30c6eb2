"""Crop vocabulary of BPS plantation tables: published crop labels -> hilir crop keys.

Parsing vocabulary of :func:`hilir.sources.bps_production.crop_key`: the labels as BPS
writes them, misspellings included.
"""

from __future__ import annotations

#: Crop labels of BPS plantation tables (Indonesian, English, and misspellings seen in BPS
#: Provinsi Lampung downloads) -> crop key. Labels are compared without case and spaces.
CROPS: dict[str, str] = {
    "kopi robusta": "coffee_robusta",
    "kopi arabika": "coffee_arabica",
    "kopi arabica": "coffee_arabica",
    "kopi": "coffee",
    "coffee": "coffee",
    "lada": "pepper",
    "pepper": "pepper",
    "cengkeh": "clove",
    "clove": "clove",
    "karet": "rubber",
    "rubber": "rubber",
    "kelapa dalam": "coconut",
    "kelapa": "coconut",
    "coconut": "coconut",
    "kelapa hybrida": "coconut_hybrid",
    "kelapa hibrida": "coconut_hybrid",
    "tebu": "sugarcane",
    "gula tebu": "sugarcane",
    "sugar cane": "sugarcane",
    "sugarcane": "sugarcane",
    "tembakau": "tobacco",
    "tembakai": "tobacco",  # misspelt in BPS Lampung area tables 2020-2025
    "tobacco": "tobacco",
    "vanili": "vanilla",
    "vanilli": "vanilla",
    "panili": "vanilla",
    "vanilla": "vanilla",
    "kayu manis": "cinnamon",
    "cinnamon": "cinnamon",
    "kapuk": "kapok",
    "kapok": "kapok",
    "kakao": "cocoa",
    "cokelat": "cocoa",
    "cocoa": "cocoa",
    "kelapa sawit": "oil_palm",
    "palm oil": "oil_palm",
    "oil palm": "oil_palm",
    "ori palm": "oil_palm",  # misspelt in BPS Lampung area tables 2020-2025
    "aren": "sugar_palm",
    "sugar palm": "sugar_palm",
    "jambu mete": "cashew",
    "jambu metet": "cashew",  # misspelt in BPS Lampung kabupaten tables 2014-2022
    "cashew nut": "cashew",
    "cashew": "cashew",
    "kemiri": "candlenut",
    "candlenut": "candlenut",
    "jarak pagar": "jatropha",
    "jatropha": "jatropha",
    "nilam": "patchouli",
    "patchouli": "patchouli",
    "pala": "nutmeg",
    "nutmeg": "nutmeg",
    "pinang": "areca_nut",
    "areca nut": "areca_nut",
    "cabe jamu": "java_long_pepper",
    "teh": "tea",
    "tea": "tea",
    "sagu": "sago",
    "sago": "sago",
    "kina": "cinchona",
    "gambir": "gambier",
    "kapulaga": "cardamom",
    "jahe": "ginger",
}
