"""The demo company's fixed tables: names, segments, competitors, the rounds' factors."""

from scoring.models import Consideration

DEMO_PASSWORD = "demo"
CUSTOMER_COUNT = 300
MONTHS = 36
SEGMENTS = [
    ("Manufacturing", "Factories buying components and consumables."),
    ("Retail chains", "Supermarket and store chains."),
    ("Hospitality", "Hotels, restaurants and caterers."),
    ("Public sector", "Hospitals, schools and government offices."),
]
COMPETITORS = ["Nusantara Supply", "Prima Distribusi", "Global Trade Partners"]
NAME_FIRST = [
    "Sinar",
    "Mitra",
    "Karya",
    "Jaya",
    "Maju",
    "Sejahtera",
    "Abadi",
    "Bintang",
    "Cahaya",
    "Surya",
    "Mega",
    "Indah",
    "Makmur",
    "Sentosa",
    "Harapan",
    "Berkah",
    "Lestari",
    "Mulia",
    "Gemilang",
    "Utama",
]
NAME_SECOND = [
    "Pangan",
    "Logam",
    "Tekstil",
    "Kimia",
    "Medika",
    "Hotel",
    "Retail",
    "Plastik",
    "Kertas",
    "Elektrik",
    "Agro",
    "Boga",
    "Bangun",
    "Farma",
    "Niaga",
]
NAME_FORM = ["PT", "CV", "PT", "PT", "UD"]
PRODUCTS = [f"P{n:03d}" for n in range(1, 41)]

ATTRACTIVENESS_FACTORS = [
    (
        "Size of business with us",
        Consideration.PURE,
        25,
        "Under 1% of our revenue",
        "About 1% of our revenue",
        "Over 5% of our revenue",
    ),
    (
        "Growth potential",
        Consideration.PURE,
        20,
        "Shrinking",
        "Growing with the market",
        "Growing much faster than the market",
    ),
    (
        "Margin potential",
        Consideration.PURE,
        15,
        "Buys on price alone",
        "Average margin",
        "Pays for value, high margin",
    ),
    (
        "Openness to a close relationship",
        Consideration.SUCCESS,
        15,
        "Transactional, many suppliers",
        "Open to talk",
        "Wants a partner supplier",
    ),
    (
        "Fit with our long-term strategy",
        Consideration.LONG_TERM,
        15,
        "Outside our focus",
        "Partly in our focus",
        "Core of our strategy",
    ),
    (
        "Our resources to serve them",
        Consideration.RESOURCES,
        10,
        "We could not serve them well",
        "Stretch but feasible",
        "We have the people and capacity",
    ),
]
STRENGTH_FACTORS = [
    ("Product quality", 25, "Frequent complaints", "Meets the specification", "Best in class"),
    ("Price competitiveness", 20, "Far above the market", "At market price", "Clearly cheaper"),
    ("On-time, in-full delivery", 25, "Under 80% OTIF", "About 95% OTIF", "Over 99% OTIF"),
    ("Technical support", 15, "None", "On request", "Dedicated and proactive"),
    ("Relationship and trust", 15, "We hardly know them", "Cordial", "Trusted adviser"),
]
