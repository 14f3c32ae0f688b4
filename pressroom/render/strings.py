"""Fixed words the layouts print, per language."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "fact_sheet": "Fact Sheet",
        "page_of": "Page {page} of {pages}",
        "publication_number": "Publication No. {number}",
        "reviewed": "Reviewed {date}",
        "more_information": "For more information",
        "related_topics": "Learn about related topics",
        "read_online": "Read this online",
        "qr_alt": "QR code linking to the online version of this publication at {url}",
        "order_title": "Free printed copies",
        "order_text": "Order this and other publications from the {catalog}. All materials are free of charge, and a downloadable PDF version is available for most publications.",
        "phone": "Phone",
        "website": "Website",
        "email": "Email",
        "other_language": "Also available in {language}",
        "booklet": "Booklet",
        "brochure": "Brochure",
        "contents": "Contents",
        "notes": "Notes",
        "office_address": "Published by",
    },
    "es": {
        "fact_sheet": "Hoja informativa",
        "page_of": "Página {page} de {pages}",
        "publication_number": "Publicación n.º {number}",
        "reviewed": "Revisado en {date}",
        "more_information": "Para obtener más información",
        "related_topics": "Temas relacionados",
        "read_online": "Lea esta publicación en línea",
        "qr_alt": "Código QR que enlaza a la versión en línea de esta publicación en {url}",
        "order_title": "Copias impresas gratuitas",
        "order_text": "Pida esta y otras publicaciones en el {catalog}. Todos los materiales son gratuitos y la mayoría también se pueden descargar en PDF.",
        "phone": "Teléfono",
        "website": "Sitio web",
        "email": "Correo electrónico",
        "other_language": "También disponible en {language}",
        "booklet": "Folleto",
        "brochure": "Folleto",
        "contents": "Contenido",
        "notes": "Notas",
        "office_address": "Publicado por",
    },
}


def messages(lang: str) -> dict[str, str]:
    return MESSAGES.get(lang, MESSAGES["en"])
