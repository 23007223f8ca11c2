"""German phrases that frame a demo concern and its timeline.

Greetings, closings and tones of citizens' messages; how desk staff note a walk-in or a phone call; what
officers write after a patrol; internal notes, public replies and partner updates. Used by
kontaktpunkt.demo.texts; the category-specific material is in kontaktpunkt.demo.phrases_de.
"""

from __future__ import annotations

GREETINGS = (
    "Sehr geehrte Damen und Herren,",
    "Guten Tag,",
    "Hallo,",
    "Hallo zusammen,",
    "Liebes Ordnungsamt,",
    "Moin,",
    "Guten Abend,",
)
POLITE_CLOSINGS = (
    "Könnten Sie sich das bitte einmal ansehen?",
    "Vielen Dank für Ihre Mühe.",
    "Ich wäre dankbar für eine kurze Rückmeldung.",
    "Besten Dank im Voraus!",
    "Danke, dass Sie sich kümmern.",
    "Vielen Dank und einen schönen Tag noch.",
)
ANGRY_EXTRAS = (
    "Das geht schon seit Wochen so!",
    "Unternimmt hier eigentlich mal jemand was?",
    "Ich habe das schon dreimal gemeldet!!",
    "Langsam reicht es wirklich.",
    "Unglaublich.",
    "Und das mitten in der Stadt!",
    "Wofür zahlen wir eigentlich Steuern?",
    "Ich erwarte, dass da jetzt endlich was passiert!",
    "So eine Sauerei!",
    "Es interessiert ja anscheinend keinen.",
)
SIGN_OFFS = ("Mit freundlichen Grüßen", "Viele Grüße", "Freundliche Grüße", "Gruß", "MfG", "LG")
DIALECT_OPENERS = ("Hömma, ", "Sach ma, ", "Also ", "Nä, ", "")
DIALECT_CLOSERS = (
    "Dat kann doch nich wahr sein.",
    "Watt soll dat denn?",
    "Macht ma wat!",
    "Dat geht so nich weiter.",
    "Is doch wahr.",
)
DIALECT = (
    (r"\bdas\b", "dat"),
    (r"\bDas\b", "Dat"),
    (r"\bwas\b", "wat"),
    (r"\bWas\b", "Wat"),
    (r"\bist\b", "is"),
    (r"\bnicht\b", "nich"),
    (r"\bmal\b", "ma"),
    (r"\beine\b", "ne"),
    (r"\bwieder\b", "widda"),
    (r"\bauch\b", "och"),
    (r"\bhaben\b", "ham"),
    (r"\bjetzt\b", "jetz"),
    (r"\betwas\b", "wat"),
)

WALK_IN_WHO = (
    "Bürgerin meldet am Schalter:",
    "Bürger meldet persönlich:",
    "Passant kommt vorbei und meldet",
    "Anwohnerin meldet",
    "Gewerbetreibender aus der Innenstadt meldet",
    "Besucherin berichtet",
    "Älterer Herr meldet",
    "Vorsprache:",
)
PHONE_WHO = (
    "Anrufer meldet",
    "Anruferin berichtet über",
    "Telefonische Meldung:",
    "Anwohnerin ruft an und meldet",
    "Tel. Hinweis:",
    "Anwohner ruft an, meldet",
    "Geschäftsinhaberin meldet telefonisch",
)
STAFF_TAILS = (
    "",
    " Bitte prüfen.",
    " Bitte Streife vorbeischicken.",
    " Rückmeldung erbeten.",
    " Möchte anonym bleiben.",
    " Laut Meldung nicht zum ersten Mal.",
)

FIELD_OPENERS = (
    "Bei Streife festgestellt:",
    "Eigene Feststellung:",
    "Im Rahmen der Bestreifung festgestellt:",
    "Streife Innenstadt:",
    "Feststellung Fußstreife:",
    "Bei Kontrollgang aufgefallen:",
)
PEOPLE_ACTIONS = (
    "Personen angesprochen, Platzverweis erteilt.",
    "Personalien festgestellt, OWi-Anzeige gefertigt.",
    "Mündliche Verwarnung ausgesprochen.",
    "Gruppe hat sich nach Ansprache entfernt.",
)
ACTIONS: dict[str, tuple[str, ...]] = {
    "security": (
        "Personen angesprochen, Platzverweis erteilt.",
        "Personalien festgestellt, Anzeige gefertigt.",
        "Polizei hinzugezogen.",
        "Bereich beobachtet, Lage ruhig geblieben.",
        "Gruppe hat sich nach Ansprache entfernt.",
    ),
    "security-place": (
        "Fotos gefertigt.",
        "Ort in den Streifenplan aufgenommen.",
        "Polizei informiert.",
        "Bereich abgesperrt, Polizei hinzugezogen.",
    ),
    "order": (
        "Verwarnungsgeld erhoben.",
        "Mündliche Verwarnung ausgesprochen.",
        "OWi-Anzeige gefertigt.",
        "Verursacher nicht angetroffen.",
    ),
    "order-people": PEOPLE_ACTIONS,
    "order-drinking": (
        *PEOPLE_ACTIONS,
        "Alkohol sichergestellt.",
        "Hilfeangebot gemacht, Streetwork informiert.",
    ),
    "order-vehicle": (
        "Verwarnungsgeld erhoben.",
        "Abschleppen veranlasst.",
        "Halter ermittelt, Anhörung folgt.",
        "Hinweiszettel angebracht.",
    ),
    "cleanliness": (
        "Fotos gefertigt, Weiterleitung an Entsorger.",
        "Bereich gesichert.",
        "Verursacher nicht feststellbar.",
        "Meldung an den Stadtbetrieb.",
    ),
    "cleanliness-vehicle": (
        "Roter Aufkleber angebracht, Frist zur Entfernung gesetzt.",
        "Halterabfrage veranlasst.",
        "Fotos gefertigt.",
    ),
    "social": (
        "Person angesprochen, Hilfeangebot gemacht.",
        "Streetwork informiert.",
        "Rettungsdienst nicht erforderlich.",
        "Person lehnt Hilfe ab.",
        "Person in die Notschlafstelle begleitet.",
    ),
}
# Categories whose patrol notes need actions of their own; the others take those of their field.
ACTION_GROUPS = {
    "security-vandalism": "security-place",
    "security-fear-space": "security-place",
    "security-suspicious-object": "security-place",
    "order-public-drinking": "order-drinking",
    "order-drinking-group": "order-drinking",
    "order-aggressive-begging": "order-people",
    "order-youth-gathering": "order-people",
    "order-noise": "order-people",
    "order-public-urination": "order-people",
    "order-playground-misuse": "order-people",
    "order-encampment": "order-people",
    "order-street-trading": "order-people",
    "order-parking-footpath": "order-vehicle",
    "order-blocked-access": "order-vehicle",
    "order-car-posers": "order-vehicle",
    "order-e-scooters": "order-vehicle",
    "cleanliness-scrap-vehicles": "cleanliness-vehicle",
}

NOTES = {
    "security": (
        "Lage mit der Polizei abgestimmt.",
        "Ort in den Streifenplan der Spätschicht aufgenommen.",
        "Bei nächster Bestreifung erneut prüfen.",
        "Vor Ort geprüft, Sachverhalt bestätigt.",
        "Hinweis an die Einsatzplanung für die nächste gemeinsame Kontrolle.",
    ),
    "order": (
        "Streife informiert.",
        "Vor Ort geprüft, Sachverhalt bestätigt.",
        "Bei nächster Bestreifung erneut prüfen.",
        "Ort ist bekannt, wiederholte Meldungen.",
        "Verwarnungsgeld erhoben.",
        "Rücksprache mit Streetwork gehalten.",
    ),
    "cleanliness": (
        "Foto liegt vor, Weiterleitung veranlasst.",
        "Ort ist bekannt, regelmäßige Verschmutzung.",
        "Rücksprache mit dem Entsorger gehalten.",
        "Vor Ort geprüft, Sachverhalt bestätigt.",
        "Auftrag an Kolonne vergeben.",
    ),
    "social": (
        "Streetwork hat Kontakt aufgenommen.",
        "Person ist dem Team bekannt.",
        "Vor Ort niemand angetroffen, erneuter Versuch am Abend.",
        "Hilfeangebot gemacht.",
    ),
}
REPLIES = {
    "received": (
        "Vielen Dank für Ihre Meldung. Wir haben Ihr Anliegen erhalten und kümmern uns darum.",
        "Danke für Ihren Hinweis! Ihr Anliegen ist bei uns eingegangen.",
        "Vielen Dank. Wir haben die zuständigen Kolleginnen und Kollegen informiert.",
    ),
    "forwarded": (
        "Ihr Anliegen haben wir an die zuständige Stelle ({unit}) weitergeleitet.",
        "Zuständig ist hier {unit}. Wir haben Ihre Meldung dorthin weitergegeben.",
    ),
    "in_progress": (
        "Ihr Anliegen wird bearbeitet. Unser Außendienst schaut sich die Stelle an.",
        "Wir sind dran: Die Stelle wird in den nächsten Tagen kontrolliert.",
    ),
    "resolved": (
        "Ihr Anliegen wurde erledigt. Vielen Dank für Ihre Mithilfe!",
        "Die Stelle wurde überprüft und der Mangel behoben. Danke für Ihren Hinweis.",
        "Erledigt: Die Kolleginnen und Kollegen waren vor Ort. Vielen Dank!",
        "Wir haben uns gekümmert. Sollte das Problem erneut auftreten, melden Sie sich gern wieder.",
    ),
    "rejected": (
        "Leider können wir hier nicht tätig werden: {reason}",
        "Vielen Dank für Ihre Meldung. {reason}",
    ),
    "duplicate": (
        "Dieses Anliegen ist uns bereits gemeldet worden und wird unter {reference} bearbeitet.",
        "Danke! Dazu liegt uns schon eine Meldung vor ({reference}), wir bearbeiten beide gemeinsam.",
    ),
}
REJECT_REASONS = (
    "Die Fläche ist ein Privatgrundstück; zuständig ist die Eigentümerin oder der Eigentümer.",
    "Vor Ort konnte nichts festgestellt werden.",
    "Es handelt sich um eine zivilrechtliche Angelegenheit.",
    "Die Stelle liegt außerhalb des Stadtgebiets.",
    "Die Meldung ließ sich keinem Ort zuordnen.",
)
PARTNER_UPDATES = {
    "street-cleaning": (
        "Auftrag erledigt, Fläche gereinigt.",
        "Abfall entsorgt.",
        "Wird mit der nächsten Tour erledigt.",
        "Sonderreinigung durchgeführt.",
    ),
    "city-works": (
        "Schaden aufgenommen, Reparatur beauftragt.",
        "Mangel behoben.",
        "Arbeiten abgeschlossen.",
        "Fachfirma beauftragt, Erledigung in Kürze.",
    ),
    "police": (
        "Sachverhalt übernommen.",
        "Streifenwagen war vor Ort, Lage bereinigt.",
        "Anzeige aufgenommen.",
    ),
    "drug-help": (
        "Beratungsgespräch vereinbart.",
        "Kontakt hergestellt.",
    ),
}
