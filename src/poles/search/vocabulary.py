"""Words in French and English for the codes and English names clusters are described with.

Cluster profiles store themes as codes (`aerospace`) and industrial sectors by their English
cluster-mapping names (`Aerospace Vehicles and Defense`); the index adds these words so that a
French query (`aéronautique`) finds what an English name describes, and the reverse.
"""

from __future__ import annotations

THEMES: dict[str, tuple[str, str]] = {
    "aerospace": ("Aéronautique, espace et systèmes embarqués", "Aeronautics, space and embedded systems"),
    "security": ("Sécurité globale et gestion des risques", "Security and risk management"),
    "digital": ("Numérique, logiciels et systèmes complexes", "Digital, software and complex systems"),
    "micro": ("Micro- et nanotechnologies, électronique", "Micro- and nanotechnologies, electronics"),
    "photonics": ("Optique, photonique et lasers", "Optics, photonics and lasers"),
    "health": ("Santé, biotechnologies et technologies médicales", "Health, biotechnology and medical technology"),
    "agrifood": ("Agroalimentaire", "Agri-food"),
    "agri": ("Agriculture et agro-industries", "Agriculture and agro-industries"),
    "cereals": ("Céréales et filières végétales", "Cereals and crops"),
    "nutrition": ("Nutrition, santé et longévité", "Nutrition, health and longevity"),
    "seafood": ("Produits de la mer et aquaculture", "Seafood and aquaculture"),
    "maritime": ("Économie maritime", "Maritime economy"),
    "automotive": ("Automobile et mobilités", "Automotive and mobility"),
    "transport": ("Transports et mobilités durables", "Sustainable transport and mobility"),
    "rail": ("Ferroviaire et transports terrestres", "Rail and land transport"),
    "trucks": ("Systèmes de transport de personnes et de marchandises", "Passenger and freight transport systems"),
    "logistics": ("Logistique", "Logistics"),
    "materials": ("Matériaux", "Materials"),
    "chemistry": ("Chimie et environnement", "Chemistry and environment"),
    "plastics": ("Plasturgie et composites", "Plastics and composites"),
    "rubber": ("Caoutchouc et polymères", "Rubber and polymers"),
    "textiles": ("Textiles et matériaux souples", "Textiles and flexible materials"),
    "ceramics": ("Céramiques", "Ceramics"),
    "mechanics": ("Mécanique et procédés de production", "Mechanical engineering and production"),
    "energy": ("Énergies nouvelles et réseaux intelligents", "New energy and smart grids"),
    "nuclear": ("Nucléaire", "Nuclear"),
    "environment": ("Éco-industries et recyclage", "Eco-industries and recycling"),
    "city": ("Ville durable et construction", "Sustainable city and construction"),
    "wood": ("Forêt, bois et matériaux biosourcés", "Forestry, wood and bio-based materials"),
    "finance": ("Finance et innovation", "Finance and innovation"),
    "retail": ("Industries du commerce", "Retail industries"),
    "creative": ("Contenus et services numériques", "Digital content and services"),
    "cosmetics": ("Parfumerie et cosmétique", "Perfume and cosmetics"),
}
"""Theme code → (French label, English label)."""

SECTORS: dict[str, str] = {
    "Aerospace Vehicles and Defense": "Aéronautique, spatial et défense",
    "Agricultural Inputs and Services": "Intrants et services agricoles",
    "Apparel": "Habillement",
    "Automotive": "Automobile",
    "Biopharmaceuticals": "Biopharmacie, médicaments",
    "Chemical Products": "Produits chimiques, chimie",
    "Communications Equipment and Services": "Équipements et services de communication, télécommunications",
    "Construction Products and Services": "Produits et services de construction, bâtiment",
    "Digital Industries": "Industries numériques",
    "Distribution and Electronic Commerce": "Distribution et commerce électronique",
    "Electric Power Generation and Transmission": "Production et transport d'électricité, énergie",
    "Environmental Industries": "Industries de l'environnement",
    "Environmental Services": "Services environnementaux",
    "Financial Services": "Services financiers",
    "Fishing and Fishing Products": "Pêche et produits de la pêche",
    "Food Processing and Manufacturing": "Industrie agroalimentaire, transformation alimentaire",
    "Information Technology and Analytical Instruments": "Informatique et instruments d'analyse",
    "Lighting and Electrical Equipment": "Éclairage et équipements électriques",
    "Marketing, Design, and Publishing": "Marketing, design et édition",
    "Medical Devices": "Dispositifs médicaux",
    "Metalworking Technology": "Travail des métaux",
    "Plastics": "Plasturgie, matières plastiques",
    "Production Technology and Heavy Machinery": "Technologies de production et machines lourdes",
    "Textile Manufacturing": "Industrie textile",
    "Transportation and Logistics": "Transport et logistique",
    "Upstream Metal Manufacturing": "Métallurgie, sidérurgie",
    "Video Production and Distribution": "Production et distribution audiovisuelle",
    "Water Transportation": "Transport maritime et fluvial",
    "Wood Products": "Produits du bois",
}
"""Cluster-mapping sector (as profiles store it, in English) → its French name."""


def theme_words(code: str) -> str:
    """A theme as stored, with its French and English labels when the code is known."""
    return " ".join((code, *THEMES.get(code, ())))


def sector_words(name: str) -> str:
    """A sector as stored, with its French name when known."""
    return f"{name} {SECTORS[name]}" if name in SECTORS else name
