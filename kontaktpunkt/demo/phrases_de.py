"""German phrase material for the demo world's concern texts, one entry per category code.

Templates are written as citizens write: first person, with the slots `{place}` (a place phrase such
as "am Theaterplatz"), `{time}` ("heute Abend"), `{since}` ("seit Tagen"), `{count}` ("fünf") and
`{detail}` (one of the category's details). `noun` is what staff write in a note ("meldet {noun}").
Texts are assembled and varied by `kontaktpunkt.demo.texts`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CategoryPhrases:
    noun: str
    templates: tuple[str, ...]
    details: tuple[str, ...]


P = CategoryPhrases

PHRASES: dict[str, CategoryPhrases] = {
    # ------------------------------------------------------------------ security
    "security-drug-scene": P(
        "offenen Drogenkonsum",
        (
            "{place} sitzen {time} wieder {count} Leute und spritzen sich was, mitten am Tag.",
            "Die Drogenszene {place} wird immer größer. {detail}",
            "Offener Drogenkonsum {place}. {detail}",
            "Ich komme jeden Tag {place} vorbei und {time} haben da {count} Personen ganz offen "
            "Drogen genommen. {detail}",
            "{place} rauchen {count} Personen Heroin von der Folie, die Kinder sehen das alles.",
            "Schon wieder die Junkies {place}. {detail} Das ist kein Zustand mehr.",
        ),
        (
            "Einer hat sich eine Spritze in den Arm gesetzt.",
            "Die sitzen direkt vor dem Eingang der Bäckerei.",
            "Meine Tochter hat Angst, da vorbeizugehen.",
            "Überall liegt Zeug rum, Löffel, Folie, Spritzen.",
            "Einige wirken völlig weggetreten.",
            "Kundschaft bleibt weg, wir verlieren Umsatz.",
        ),
    ),
    "security-drug-dealing": P(
        "mutmaßlichen Drogenhandel",
        (
            "{place} wird {time} ganz offen gedealt. {detail}",
            "Ich beobachte {since} {place}, wie Päckchen übergeben werden. {detail}",
            "Drogenhandel {place}, {count} junge Männer, immer dieselben.",
            "Da stehen {time} wieder die Dealer {place} und sprechen Leute an.",
            "Verdacht auf Drogenverkauf {place}. {detail}",
        ),
        (
            "Die Autos halten nur kurz, dann geht es weiter.",
            "Die verstecken das Zeug im Gebüsch.",
            "Einer fährt immer mit dem Roller hin und her.",
            "Das geht den ganzen Nachmittag so.",
            "Ich wurde selbst schon angesprochen, ob ich was brauche.",
        ),
    ),
    "security-aggression": P(
        "eine aggressive Person",
        (
            "Ein Mann {place} pöbelt {time} alle Passanten an und droht mit Schlägen. {detail}",
            "Ich wurde {place} bedroht. {detail}",
            "{place} schreit eine Person herum und geht auf Leute los.",
            "Aggressiver Mann {place}, bitte schnell jemanden schicken! {detail}",
            "Eine Frau {place} beschimpft {time} Kinder und wirft mit Flaschen.",
        ),
        (
            "Er hatte eine Flasche in der Hand.",
            "Er hat ein Messer gezeigt, glaube ich.",
            "Die Leute trauen sich nicht mehr vorbei.",
            "Er ist sehr groß, dunkle Jacke, Kapuze.",
            "Das ist schon der dritte Vorfall diese Woche.",
        ),
    ),
    "security-fight": P(
        "eine Schlägerei",
        (
            "{place} prügeln sich gerade {count} Männer!",
            "Schlägerei {place}, {time}. {detail}",
            "{time} gab es {place} eine heftige Keilerei. {detail}",
            "Streit eskaliert {place}, einer liegt am Boden. {detail}",
            "Da hauen sich {place} {count} Leute, bitte kommen Sie schnell.",
        ),
        (
            "Einer blutet am Kopf.",
            "Es wurden Flaschen geworfen.",
            "Die Gruppe ist danach Richtung Bahnhof gelaufen.",
            "Passanten haben versucht zu schlichten.",
        ),
    ),
    "security-harassment": P(
        "Belästigung von Passantinnen",
        (
            "Frauen werden {place} {time} ständig angesprochen und verfolgt. {detail}",
            "Ich wurde {place} von einer Gruppe Männer belästigt. {detail}",
            "{place} stehen {count} Typen, die jeder Frau hinterherrufen.",
            "Belästigung {place}. {detail}",
            "Meine Tochter wurde {time} {place} verfolgt. {detail}",
        ),
        (
            "Einer ist mir bis zur Haltestelle nachgegangen.",
            "Die machen eindeutige Gesten.",
            "Das passiert fast jeden Abend.",
            "Ich gehe da nur noch mit Begleitung lang.",
        ),
    ),
    "security-night-disorder": P(
        "nächtliche Randale",
        (
            "{time} randaliert eine Gruppe {place}, grölt und tritt gegen Autos. {detail}",
            "Randale {place}, {time}. {detail}",
            "Jede Nacht das Gleiche {place}: Geschrei, Flaschen zerschlagen, Mülleimer umgetreten.",
            "{place} haben {time} {count} Leute rumgebrüllt und Blumenkübel umgeworfen.",
            "Nächtlicher Krawall {place} {since}. {detail}",
        ),
        (
            "An Schlaf ist nicht zu denken.",
            "Am Morgen lagen überall Scherben.",
            "Ein Außenspiegel wurde abgetreten.",
            "Die kommen meistens nach Kneipenschluss.",
        ),
    ),
    "security-vandalism": P(
        "Sachbeschädigung",
        (
            "{place} wurde das Wartehäuschen eingeschlagen. {detail}",
            "Vandalismus {place}: {detail}",
            "Jemand hat {time} {place} die Sitzbänke demoliert.",
            "{place} sind {since} die Scheiben kaputt. {detail}",
            "Sachbeschädigung {place}, {count} Papierkörbe abgerissen.",
        ),
        (
            "Überall liegen Glassplitter.",
            "Die Bank ist komplett herausgerissen.",
            "Auch das Schild wurde verbogen.",
            "Es wurde wohl etwas angezündet, alles ist verrußt.",
        ),
    ),
    "security-fear-space": P(
        "einen unsicheren, dunklen Bereich",
        (
            "Die Unterführung {place} ist abends stockdunkel, da traut sich keiner durch. {detail}",
            "Ich fühle mich {place} {time} nicht mehr sicher. {detail}",
            "{place} ist eine richtige Angstecke geworden. {detail}",
            "Könnte man {place} nicht mehr Licht machen? {detail}",
            "Unheimlicher Ort {place}, {detail}",
        ),
        (
            "Die Büsche sind so hoch, man sieht nicht, wer dahinter steht.",
            "Dort halten sich oft zwielichtige Gestalten auf.",
            "Meine Nachbarin geht da nur noch mit Pfefferspray lang.",
            "Es stinkt nach Urin und überall liegt Müll.",
        ),
    ),
    "security-dangerous-dog": P(
        "einen gefährlichen Hund",
        (
            "Ein großer Hund ohne Maulkorb hat {place} meinen Hund gebissen. {detail}",
            "{place} läuft {time} ein Kampfhund frei rum, die Halterin lacht nur. {detail}",
            "Beißvorfall {place}. {detail}",
            "Ich wurde {place} von einem Hund angesprungen. {detail}",
            "Gefährlicher Hund {place}, der geht auf Kinder los.",
        ),
        (
            "Der Hund sah aus wie ein Staffordshire-Mischling.",
            "Der Halter ist einfach weggegangen.",
            "Ich musste zum Arzt.",
            "Das passiert nicht zum ersten Mal.",
        ),
    ),
    "security-suspicious-object": P(
        "einen herrenlosen Gegenstand",
        (
            "{place} steht {since} ein Koffer, niemand gehört dazu. {detail}",
            "Herrenloser Rucksack {place}. {detail}",
            "{place} liegt ein komisches Paket mit Kabeln dran.",
            "Verdächtige Tasche {place}, {time} bemerkt. {detail}",
        ),
        (
            "Ich habe Abstand gehalten.",
            "Die Polizei wurde bereits angerufen.",
            "Die Leute laufen einfach dran vorbei.",
        ),
    ),
    # ------------------------------------------------------------------ order
    "order-public-drinking": P(
        "Alkoholkonsum in der Verbotszone",
        (
            "{place} wird {time} wieder getrunken, obwohl da Alkoholverbot ist. {detail}",
            "Trinkende Personen {place}, direkt neben dem Spielplatz. {detail}",
            "{count} Personen {place} mit Bierdosen, {time}.",
            "Ich dachte, in der Innenstadt gilt ein Alkoholverbot? {place} sitzen {count} Leute "
            "mit Schnaps. {detail}",
            "Alkohol {place} {since}. {detail}",
            "{place} wird gesoffen, am hellichten Tag vor der Schule.",
        ),
        (
            "Die leeren Flaschen bleiben einfach liegen.",
            "Es wird laut und es gibt Streit.",
            "Die Kinder müssen da jeden Morgen vorbei.",
            "Die Gruppe kommt jeden Tag gegen Mittag.",
            "Einer hat in die Ecke uriniert.",
        ),
    ),
    "order-drinking-group": P(
        "eine Trinkgruppe",
        (
            "{place} trifft sich {since} eine Trinkgruppe, {count} Leute, jeden Tag. {detail}",
            "Die Bank {place} ist dauerhaft von Trinkern belagert. {detail}",
            "Trinkgelage {place} {time}. {detail}",
            "Wir haben als Anwohner {place} die Nase voll von der Alkoholszene. {detail}",
            "Saufgelage {place}, wie jeden Tag.",
        ),
        (
            "Sie pöbeln Leute an, die vorbeigehen.",
            "Der Müll bleibt danach einfach liegen.",
            "Es wird in die Hauseingänge gepinkelt.",
            "Die Hunde der Gruppe laufen frei herum.",
        ),
    ),
    "order-aggressive-begging": P(
        "aggressives Betteln",
        (
            "{place} wird man {time} ständig aggressiv angebettelt. {detail}",
            "Ein Mann {place} bettelt Kundinnen an und lässt nicht locker. {detail}",
            "Organisierte Bettelei {place}, {count} Personen, die sich abwechseln. {detail}",
            "Aufdringliche Bettler {place}. {detail}",
            "Ich wurde {place} angebettelt und dann beschimpft, als ich nichts gegeben habe.",
        ),
        (
            "Er läuft einem bis zum Auto hinterher.",
            "Die werden morgens mit einem Transporter gebracht.",
            "Ältere Leute fühlen sich bedrängt.",
            "Die stellen sich direkt in den Eingang des Geschäfts.",
        ),
    ),
    "order-noise": P(
        "Lärm und Ruhestörung",
        (
            "{time} ist {place} wieder extrem laut. {detail}",
            "Ruhestörung {place}! {detail}",
            "Seit Stunden laute Musik {place}, es ist {time}. {detail}",
            "{place} wird {since} jede Nacht gefeiert. {detail}",
            "Lärmbelästigung {place}, {count} Leute grölen herum.",
            "Bitte schicken Sie jemanden {place}, wir können nicht schlafen.",
        ),
        (
            "Wir haben kleine Kinder, die nicht schlafen können.",
            "Der Bass ist bis in den dritten Stock zu hören.",
            "Das geht jedes Wochenende so.",
            "Ich muss um fünf Uhr aufstehen.",
            "Die Nachbarn haben sich auch schon beschwert.",
        ),
    ),
    "order-car-posers": P(
        "Autoposer",
        (
            "{time} fahren {place} wieder die Poser mit aufheulenden Motoren im Kreis. {detail}",
            "Autoposer {place}, {detail}",
            "{place} wird {since} jeden Abend gerast und mit den Motoren gespielt.",
            "Laute Motorräder {place} {time}. {detail}",
        ),
        (
            "Die Auspuffe knallen richtig.",
            "Immer dieselben Autos, ein schwarzer BMW und ein gelber Golf.",
            "Irgendwann passiert da ein Unfall.",
            "Das Kennzeichen konnte ich nicht erkennen.",
        ),
    ),
    "order-encampment": P(
        "ein Lager im öffentlichen Raum",
        (
            "{place} hat jemand ein Zelt aufgebaut, {since}. {detail}",
            "Matratzenlager {place}. {detail}",
            "Im Gebüsch {place} ist ein richtiges Lager mit Decken und Müll. {detail}",
            "{place} campieren {count} Personen. {detail}",
            "Wildes Lager {place}.",
        ),
        (
            "Drumherum liegt viel Müll.",
            "Es sieht aus, als würde da jemand dauerhaft wohnen.",
            "Vielleicht braucht die Person Hilfe.",
            "Es riecht nach Fäkalien.",
        ),
    ),
    "order-youth-gathering": P(
        "eine störende Jugendgruppe",
        (
            "{place} hängen {time} {count} Jugendliche ab, laut und mit Musikboxen. {detail}",
            "Jugendgruppe {place} {since}. {detail}",
            "{place} treffen sich jeden Abend Jugendliche und machen Lärm. {detail}",
            "Ansammlung junger Männer {place}. {detail}",
        ),
        (
            "Sie werfen Sachen auf die Straße.",
            "Die Anwohner trauen sich nicht, etwas zu sagen.",
            "Es wird viel getrunken.",
            "Danach ist alles vermüllt.",
        ),
    ),
    "order-street-trading": P(
        "unerlaubten Straßenhandel",
        (
            "{place} verkauft {since} jemand ohne Stand Sonnenbrillen und Handyhüllen. {detail}",
            "Kundenstopper und Tische versperren {place} den Gehweg. {detail}",
            "Hütchenspieler {place}! {detail}",
            "Unerlaubter Verkaufsstand {place}. {detail}",
        ),
        (
            "Mit Rollator kommt man nicht mehr vorbei.",
            "Die bauen jeden Samstag auf.",
            "Touristen werden abgezockt.",
        ),
    ),
    "order-posters": P(
        "wildes Plakatieren",
        (
            "{place} ist alles mit Plakaten zugeklebt. {detail}",
            "Wilde Plakatierung {place}. {detail}",
            "Jemand klebt {since} Aufkleber an alle Laternen {place}.",
            "{place} hängen {count} Plakate von einer Party, die längst vorbei ist.",
        ),
        (
            "Auch am Stromkasten.",
            "Die Plakate lösen sich schon ab und fliegen herum.",
            "Manche sind politisch ziemlich daneben.",
        ),
    ),
    "order-public-urination": P(
        "Wildpinkeln",
        (
            "{place} wird ständig in den Hauseingang gepinkelt. {detail}",
            "Wildpinkler {place}, {time}. {detail}",
            "Es stinkt {place} {since} nach Urin. {detail}",
            "Männer urinieren {place} an die Hauswand.",
        ),
        (
            "Wir müssen jeden Morgen den Eingang schrubben.",
            "Eine öffentliche Toilette gibt es hier nicht.",
            "Besonders nach dem Wochenende.",
        ),
    ),
    "order-pigeon-feeding": P(
        "Taubenfüttern",
        (
            "Eine Frau füttert {place} jeden Tag die Tauben mit kiloweise Brot. {detail}",
            "Taubenfütterung {place}. {detail}",
            "{place} wird {since} Futter ausgelegt, jetzt kommen auch Ratten.",
            "Jemand füttert {time} {place} Tauben.",
        ),
        (
            "Alles ist voller Taubenkot.",
            "Ich habe schon Ratten gesehen.",
            "Sie sagt, das sei ihr egal.",
        ),
    ),
    "order-playground-misuse": P(
        "zweckfremde Nutzung eines Spielplatzes",
        (
            "{place} sitzen {time} Erwachsene auf dem Spielplatz, rauchen und trinken. {detail}",
            "Auf dem Spielplatz {place} treffen sich abends Jugendliche. {detail}",
            "Spielplatz {place} wird als Treffpunkt missbraucht. {detail}",
            "Im Sandkasten {place} liegen Kippen und Kronkorken. {detail}",
        ),
        (
            "Die Kinder können da morgens nicht mehr spielen.",
            "Es liegen Scherben im Sand.",
            "Die sitzen auf dem Klettergerüst und machen Musik.",
        ),
    ),
    "order-dogs-off-leash": P(
        "freilaufende Hunde",
        (
            "{place} laufen {time} mehrere Hunde ohne Leine herum. {detail}",
            "Hund ohne Leine {place}. {detail}",
            "Trotz Leinenpflicht {place} lassen die Halter ihre Hunde laufen. {detail}",
            "Freilaufender Hund {place} springt Kinder an.",
        ),
        (
            "Die Halter reagieren nicht, wenn man etwas sagt.",
            "Direkt neben dem Spielplatz.",
            "Jeden Morgen gegen sieben.",
        ),
    ),
    "order-dog-fouling": P(
        "einen Hundehalter, der den Kot liegen lässt",
        (
            "Ich habe {time} gesehen, wie ein Hundehalter {place} den Haufen einfach liegen "
            "gelassen hat. {detail}",
            "{place} lässt eine Frau jeden Morgen ihren Hund machen und geht weiter. {detail}",
            "Hundehalter beseitigt Kot nicht {place}. {detail}",
            "Immer derselbe Mann mit Schäferhund {place}, nie wird was weggemacht.",
        ),
        (
            "Er hatte sogar Beutel dabei.",
            "Auf den Hinweis hin wurde ich beschimpft.",
            "Der Hund ist ein großer brauner Labrador.",
        ),
    ),
    "order-parking-footpath": P(
        "Falschparker auf dem Gehweg",
        (
            "{place} parkt {since} ein Auto komplett auf dem Gehweg. {detail}",
            "Gehweg zugeparkt {place}. {detail}",
            "{place} kommt man mit dem Kinderwagen nicht mehr vorbei, alles zugeparkt.",
            "Radweg {place} {time} wieder zugeparkt von Lieferwagen. {detail}",
            "Falschparker {place}, {count} Autos auf dem Bürgersteig.",
        ),
        (
            "Rollstuhlfahrer müssen auf die Straße ausweichen.",
            "Das ist jeden Tag so.",
            "Die Kinder müssen auf die Fahrbahn.",
            "Ein weißer Transporter.",
        ),
    ),
    "order-blocked-access": P(
        "eine zugeparkte Zufahrt",
        (
            "Meine Einfahrt {place} ist zugeparkt, ich komme nicht raus! {detail}",
            "Feuerwehrzufahrt {place} blockiert. {detail}",
            "{place} steht ein Auto auf dem Behindertenparkplatz ohne Ausweis.",
            "Zugeparkte Garage {place}, {time}. {detail}",
        ),
        (
            "Ich muss dringend zur Arbeit.",
            "Der Fahrer ist nicht auffindbar.",
            "Das Auto steht da seit heute früh.",
        ),
    ),
    "order-e-scooters": P(
        "abgestellte E-Scooter",
        (
            "{place} liegen {count} E-Scooter quer auf dem Gehweg. {detail}",
            "E-Roller blockieren {place} den Weg. {detail}",
            "Umgekippte Scooter {place} {since}.",
            "{place} wurde ein Leihroller mitten auf den Blindenleitstreifen gestellt.",
        ),
        (
            "Blinde Menschen stolpern darüber.",
            "Einer liegt schon im Gebüsch.",
            "Die werden einfach irgendwo fallen gelassen.",
        ),
    ),
    "order-cycling-pedestrian-zone": P(
        "Radfahren in der Fußgängerzone",
        (
            "{place} rasen {time} ständig Radfahrer durch die Fußgängerzone. {detail}",
            "Radfahrer in der Fußgängerzone {place}. {detail}",
            "Ich wurde {place} fast von einem Fahrrad umgefahren.",
            "Kampfradler {place}, {detail}",
        ),
        (
            "Besonders die Lieferdienste.",
            "Ältere Menschen erschrecken sich.",
            "Mein Enkel wäre fast angefahren worden.",
        ),
    ),
    "order-bins-on-footpath": P(
        "Mülltonnen auf dem Gehweg",
        (
            "{place} stehen {since} die Mülltonnen auf dem Gehweg. {detail}",
            "Tonnen werden {place} nie reingeholt. {detail}",
            "Gelbe Säcke und Tonnen {place} blockieren den Weg.",
            "Mülltonnen dauerhaft {place}.",
        ),
        (
            "Die Säcke sind schon aufgerissen.",
            "Das ist ein Mehrfamilienhaus, keiner fühlt sich zuständig.",
            "Die Leerung war vor einer Woche.",
        ),
    ),
    # ------------------------------------------------------------------ cleanliness
    "cleanliness-syringes": P(
        "herumliegende Spritzen",
        (
            "{place} liegen {count} gebrauchte Spritzen. {detail}",
            "Spritzen {place}! {detail}",
            "Ich habe {time} {place} Fixerbesteck gefunden. {detail}",
            "Auf dem Spielplatz {place} liegen Nadeln im Sand! {detail}",
            "{place} schon wieder Spritzen im Gebüsch, {count} Stück. {detail}",
            "Bitte dringend {place} die Spritzen wegräumen, hier spielen Kinder.",
        ),
        (
            "Ich habe sie nicht angefasst.",
            "Mein Hund wäre fast reingetreten.",
            "Daneben liegen Löffel und Alufolie.",
            "Direkt am Schulweg.",
            "Einige sind noch mit Blut.",
        ),
    ),
    "cleanliness-litter": P(
        "Müll und Unrat",
        (
            "{place} liegt überall Müll herum. {detail}",
            "Vermüllung {place}. {detail}",
            "{place} sieht es aus wie auf einer Müllkippe, {since}.",
            "Pizzakartons, Dosen und Kippen {place}. {detail}",
            "Bitte mal {place} aufräumen, das ist eklig. {detail}",
        ),
        (
            "Die Krähen verteilen alles.",
            "Das ist nach jedem Wochenende so.",
            "Es stinkt inzwischen.",
            "Die Papierkörbe sind auch voll.",
            "Auch Essensreste, das zieht Ratten an.",
        ),
    ),
    "cleanliness-broken-glass": P(
        "Glasscherben",
        (
            "{place} liegen überall Glasscherben. {detail}",
            "Scherben {place} auf dem Radweg! {detail}",
            "Zerschlagene Bierflaschen {place}, {time}. {detail}",
            "Vorsicht {place}: alles voller Glas. {detail}",
        ),
        (
            "Mein Fahrradreifen ist schon platt.",
            "Die Kinder laufen da barfuß.",
            "Hunde schneiden sich die Pfoten.",
            "Das war wohl die Party von gestern Nacht.",
        ),
    ),
    "cleanliness-graffiti": P(
        "Graffiti",
        (
            "{place} wurde die Wand komplett beschmiert. {detail}",
            "Graffiti {place}. {detail}",
            "Neue Schmierereien {place}, {since}. {detail}",
            "Jemand hat {place} Hakenkreuze gesprüht! Bitte schnell entfernen.",
            "Die frisch gestrichene Unterführung {place} ist schon wieder besprüht.",
        ),
        (
            "Ungefähr zehn Quadratmeter.",
            "Auch das Verkehrsschild ist besprüht.",
            "Das sind beleidigende Sprüche.",
            "Nur Tags, aber überall.",
        ),
    ),
    "cleanliness-public-toilets": P(
        "eine verschmutzte öffentliche Toilette",
        (
            "Die öffentliche Toilette {place} ist völlig verdreckt. {detail}",
            "WC {place} defekt. {detail}",
            "Toilette {place} ist {since} abgeschlossen.",
            "Die Toilette {place} ist verstopft und läuft über.",
        ),
        (
            "Kein Papier, keine Seife.",
            "Da liegen auch Spritzen drin.",
            "Die Tür lässt sich nicht abschließen.",
        ),
    ),
    "cleanliness-markings-signs": P(
        "ein beschädigtes Verkehrszeichen",
        (
            "Das Stoppschild {place} ist umgefahren worden. {detail}",
            "{place} ist der Zebrastreifen kaum noch zu sehen. {detail}",
            "Schild {place} verdreht. {detail}",
            "Straßenschild {place} fehlt {since}.",
            "Das Verkehrszeichen {place} ist komplett zugewachsen.",
        ),
        (
            "Autofahrer sehen das nicht mehr.",
            "Das ist vor einer Schule.",
            "Der Pfosten liegt auf dem Gehweg.",
        ),
    ),
    "cleanliness-street-lighting": P(
        "eine defekte Straßenlaterne",
        (
            "Die Laterne {place} ist {since} aus. {detail}",
            "Straßenbeleuchtung defekt {place}. {detail}",
            "{place} sind {count} Laternen hintereinander dunkel. {detail}",
            "Die Lampe {place} flackert die ganze Nacht.",
            "Laterne {place} brennt tagsüber, aber nachts nicht.",
        ),
        (
            "Abends ist es dort stockdunkel.",
            "Die Mastnummer ist leider nicht lesbar.",
            "Gerade im Winter ist das gefährlich.",
            "Direkt am Zebrastreifen.",
        ),
    ),
    "cleanliness-traffic-lights": P(
        "eine gestörte Ampel",
        (
            "Die Ampel {place} ist komplett aus! {detail}",
            "Ampel {place} blinkt nur gelb. {detail}",
            "Fußgängerampel {place} reagiert nicht auf den Knopf. {detail}",
            "{place} ist bei der Ampel das grüne Licht kaputt.",
        ),
        (
            "Die Autos fahren einfach durch.",
            "Viele Schulkinder queren dort.",
            "Seit heute Morgen.",
        ),
    ),
    "cleanliness-street-cleaning": P(
        "eine verschmutzte Straße",
        (
            "Die Straße {place} wurde {since} nicht gereinigt. {detail}",
            "{place} liegt so viel Laub, dass man ausrutscht. {detail}",
            "Öl auf der Fahrbahn {place}. {detail}",
            "Rinnstein {place} völlig verdreckt.",
            "Bitte mal die Kehrmaschine {place} vorbeischicken. {detail}",
        ),
        (
            "Die Abläufe sind auch schon zu.",
            "Nach dem Markt bleibt alles liegen.",
            "Radfahrer rutschen da weg.",
        ),
    ),
    "cleanliness-winter-service": P(
        "nicht geräumte Wege",
        (
            "{place} ist spiegelglatt, nichts gestreut! {detail}",
            "Winterdienst {place} fehlt. {detail}",
            "Der Gehweg {place} ist {since} nicht geräumt. {detail}",
            "Glatteis {place}, {time}. {detail}",
        ),
        (
            "Eine ältere Dame ist schon gestürzt.",
            "Die Bushaltestelle ist nicht erreichbar.",
            "Auf der Brücke ist es besonders schlimm.",
        ),
    ),
    "cleanliness-road-damage": P(
        "einen Straßenschaden",
        (
            "{place} ist ein riesiges Schlagloch. {detail}",
            "Schlagloch {place}. {detail}",
            "Lose Gehwegplatten {place}, Stolpergefahr! {detail}",
            "{place} ist die Fahrbahn {since} abgesackt. {detail}",
            "Der Radweg {place} ist total kaputt, überall Wurzeln und Risse.",
        ),
        (
            "Ungefähr 30 cm breit und ziemlich tief.",
            "Da ist schon jemand mit dem Rad gestürzt.",
            "Bei Regen sieht man das Loch nicht.",
            "Meine Felge ist hinüber.",
        ),
    ),
    "cleanliness-road-works": P(
        "eine schlecht gesicherte Baustelle",
        (
            "Die Baustelle {place} ist {since} verlassen, aber weiter abgesperrt. {detail}",
            "Baustelle {place} schlecht abgesichert. {detail}",
            "{place} sind Absperrbaken umgefallen und liegen auf der Straße.",
            "Baugrube {place} nicht abgedeckt! {detail}",
        ),
        (
            "Da arbeitet seit Wochen keiner.",
            "Fußgänger müssen auf die Fahrbahn.",
            "Die Beleuchtung der Absperrung ist aus.",
        ),
    ),
    "cleanliness-illegal-dumping": P(
        "illegal abgeladenen Müll",
        (
            "{place} hat jemand Sperrmüll abgeladen. {detail}",
            "Wilder Müll {place}: {detail}",
            "{since} liegt {place} ein Müllberg mit Matratzen und Möbeln. {detail}",
            "Illegale Müllablagerung {place}. {detail}",
            "{place} wurden {count} Müllsäcke und ein alter Kühlschrank abgestellt.",
            "Schon wieder Bauschutt {place} abgekippt! {detail}",
        ),
        (
            "Ein altes Sofa, mehrere Säcke und ein Fernseher.",
            "Autoreifen und Farbeimer.",
            "Ich habe gesehen, wie ein Transporter das abgeladen hat.",
            "Das wird jede Woche mehr.",
            "Die Säcke sind aufgerissen, alles fliegt herum.",
        ),
    ),
    "cleanliness-dog-waste": P(
        "Hundekot",
        (
            "{place} liegt überall Hundekot. {detail}",
            "Hundehaufen {place}. {detail}",
            "Der Gehweg {place} ist ein einziges Hundeklo. {detail}",
            "Man kann {place} keinen Schritt gehen, ohne in Hundescheiße zu treten.",
        ),
        (
            "Direkt vor dem Kindergarten.",
            "Ein Kotbeutelspender wäre gut.",
            "Auch auf der Wiese, wo Kinder spielen.",
        ),
    ),
    "cleanliness-scrap-vehicles": P(
        "ein Schrottfahrzeug",
        (
            "{place} steht {since} ein Auto ohne Kennzeichen. {detail}",
            "Autowrack {place}. {detail}",
            "Ein abgemeldeter Anhänger steht {since} {place}.",
            "Schrottauto {place}, die Reifen sind platt und die Scheibe eingeschlagen.",
        ),
        (
            "Es hat eine rote Plakette.",
            "Der Wagen ist voller Müll.",
            "Ein silberner Opel Astra.",
        ),
    ),
    "cleanliness-scrap-bicycles": P(
        "Schrottfahrräder",
        (
            "{place} stehen {count} Fahrradleichen am Ständer. {detail}",
            "Schrottrad {place} {since}. {detail}",
            "Altes Fahrrad ohne Reifen {place}, blockiert den Fahrradständer.",
            "Die Fahrradständer {place} sind voller verrosteter Räder.",
        ),
        (
            "Die Räder sind komplett verrostet.",
            "Es fehlen Sattel und Vorderrad.",
            "Man findet keinen Platz mehr für das eigene Rad.",
        ),
    ),
    "cleanliness-litter-bins": P(
        "überfüllte Papierkörbe",
        (
            "Der Mülleimer {place} quillt über. {detail}",
            "Papierkörbe {place} voll. {detail}",
            "{place} sind {count} Abfalleimer {since} nicht geleert worden.",
            "Mülleimer {place} ist kaputt, der Müll fällt unten raus.",
        ),
        (
            "Am Wochenende ist das immer so.",
            "Die Krähen holen alles raus.",
            "Vielleicht braucht es hier einen größeren Behälter.",
        ),
    ),
    "cleanliness-containers": P(
        "einen vermüllten Containerstandort",
        (
            "Am Glascontainer {place} stehen überall Flaschen und Kartons. {detail}",
            "Altkleidercontainer {place} voll, Säcke daneben. {detail}",
            "Container {place} seit Tagen nicht geleert. {detail}",
            "Der Containerstandort {place} ist eine Müllhalde. {detail}",
        ),
        (
            "Die Säcke wurden aufgerissen.",
            "Es liegen Scherben herum.",
            "Der Container ist auch beschmiert.",
        ),
    ),
    "cleanliness-trees": P(
        "einen beschädigten Baum",
        (
            "{place} ist ein großer Ast abgebrochen und hängt über dem Gehweg. {detail}",
            "Umgestürzter Baum {place}! {detail}",
            "Die Hecke {place} wächst {since} über den ganzen Gehweg. {detail}",
            "Baum {place} sieht krank aus, {detail}",
            "Äste {place} verdecken die Ampel.",
        ),
        (
            "Nach dem Sturm gestern Nacht.",
            "Kinderwagen kommen nicht mehr durch.",
            "Der Stamm ist innen hohl.",
            "Der Ast ist ziemlich groß.",
        ),
    ),
    "cleanliness-parks": P(
        "Mängel in einer Grünanlage",
        (
            "Im Park {place} sind die Bänke kaputt. {detail}",
            "Grünanlage {place} ungepflegt. {detail}",
            "Der Rasen {place} wurde {since} nicht gemäht.",
            "Der Brunnen {place} ist voller Müll. {detail}",
        ),
        (
            "Die Wege sind total zugewachsen.",
            "Überall liegen Flaschen.",
            "Die Beete sind zertrampelt.",
        ),
    ),
    "cleanliness-playgrounds": P(
        "ein beschädigtes Spielgerät",
        (
            "Die Schaukel {place} ist kaputt. {detail}",
            "Auf dem Spielplatz {place} ist die Rutsche gebrochen. {detail}",
            "Spielplatz {place}: {detail}",
            "Klettergerüst {place} hat lose Schrauben.",
        ),
        (
            "Ein Kind hat sich schon verletzt.",
            "Überall Scherben im Sand.",
            "Der Zaun hat ein Loch zur Straße hin.",
        ),
    ),
    "cleanliness-drains": P(
        "einen verstopften Gully",
        (
            "Der Gully {place} ist verstopft, bei Regen steht alles unter Wasser. {detail}",
            "Kanaldeckel {place} klappert. {detail}",
            "Es stinkt {place} {since} aus dem Kanal.",
            "Straßenablauf {place} zu. {detail}",
        ),
        (
            "Das Wasser läuft bis in die Einfahrten.",
            "Laub liegt auf dem Gitter.",
            "Die Autos spritzen alles nass.",
        ),
    ),
    "cleanliness-sports-grounds": P(
        "Mängel an einer Sportanlage",
        (
            "Auf dem Bolzplatz {place} ist das Tor kaputt. {detail}",
            "Basketballkorb {place} abgerissen. {detail}",
            "Sportplatz {place} ist voller Glas und Müll.",
            "Der Zaun am Sportplatz {place} ist umgedrückt. {detail}",
        ),
        (
            "Die Kinder können nicht mehr spielen.",
            "Die Laufbahn hat Löcher.",
            "Das Netz fehlt ganz.",
        ),
    ),
    # ------------------------------------------------------------------ social
    "social-person-in-need": P(
        "eine hilfebedürftige Person",
        (
            "{place} liegt ein Mann am Boden und reagiert kaum. {detail}",
            "Eine ältere Frau {place} wirkt völlig verwirrt. {detail}",
            "Hilflose Person {place}, {time}. {detail}",
            "{place} sitzt jemand {since} zusammengekauert und braucht wohl Hilfe. {detail}",
            "Bitte schauen Sie mal {place} nach einem Mann, dem es schlecht geht.",
        ),
        (
            "Er hat keine Schuhe an.",
            "Sie weiß nicht, wo sie wohnt.",
            "Einen Krankenwagen wollte er nicht.",
            "Er hat eine Wunde am Bein.",
        ),
    ),
    "social-sleeping-rough": P(
        "eine Person, die im Freien schläft",
        (
            "{place} schläft {since} ein Mann im Hauseingang. {detail}",
            "Obdachlose Person {place}. {detail}",
            "{place} übernachtet jede Nacht eine junge Frau im Schlafsack. {detail}",
            "Im Eingang {place} schlafen {count} Personen. {detail}",
            "Ich mache mir Sorgen um den Mann, der {place} auf der Platte lebt.",
        ),
        (
            "Er hat nur eine dünne Decke.",
            "Vielleicht kann jemand eine Unterkunft anbieten.",
            "Er ist freundlich, aber sehr dünn.",
            "Sie hat einen Hund dabei.",
        ),
    ),
    "social-cold-weather": P(
        "eine Person, die bei Kälte draußen ist",
        (
            "Es ist eiskalt und {place} liegt ein Mann ohne Decke. {detail}",
            "Kältehilfe {place} gebraucht! {detail}",
            "{place} sitzt {time} jemand bei Minusgraden im Freien. {detail}",
            "Bitte den Kältebus {place} vorbeischicken. {detail}",
        ),
        (
            "Er zittert am ganzen Körper.",
            "Der Schlafsack ist völlig durchnässt.",
            "Sie spricht kaum noch.",
        ),
    ),
    "social-intoxicated": P(
        "eine stark berauschte Person",
        (
            "{place} liegt ein völlig betrunkener Mann auf dem Gehweg. {detail}",
            "Person {place} ist total zugedröhnt und torkelt auf die Straße. {detail}",
            "Jemand {place} ist nicht ansprechbar, wahrscheinlich Drogen. {detail}",
            "Betrunkene Frau {place}, {time}. {detail}",
        ),
        (
            "Sie atmet, reagiert aber kaum.",
            "Er ist schon zweimal hingefallen.",
            "Neben ihm liegt eine leere Flasche Korn.",
            "Ich habe ihn in die stabile Seitenlage gebracht.",
        ),
    ),
    "social-addiction-advice": P(
        "den Wunsch nach Suchtberatung",
        (
            "Mein Sohn nimmt Drogen und ich weiß nicht mehr weiter. Wo bekomme ich Hilfe? {detail}",
            "Ich möchte von den Drogen weg. {detail}",
            "Gibt es eine Beratung für Angehörige? {detail}",
            "Ich suche einen Platz für eine Substitution. {detail}",
        ),
        (
            "Er ist 19 und wohnt noch bei uns.",
            "Ich war schon einmal im Entzug.",
            "Am liebsten anonym.",
            "Ich habe keine Krankenversicherung.",
        ),
    ),
    "social-begging-need": P(
        "eine bettelnde Person in Not",
        (
            "{place} sitzt {since} eine sehr junge Frau und bettelt. Braucht sie Hilfe? {detail}",
            "Der Mann, der {place} bettelt, sieht sehr krank aus. {detail}",
            "Bettelnde Person {place} in schlechtem Zustand. {detail}",
            "Ein älterer Herr bittet {place} um Essen. {detail}",
        ),
        (
            "Sie hat ein Pappschild, auf dem steht, dass sie Hunger hat.",
            "Er hustet stark.",
            "Ich habe ihm etwas zu essen gekauft.",
        ),
    ),
    "social-minors-at-risk": P(
        "gefährdete Minderjährige",
        (
            "{place} sind {time} Kinder von vielleicht 13 Jahren allein unterwegs und trinken. {detail}",
            "Jugendliche {place} halten sich in der Drogenszene auf. {detail}",
            "Ein Mädchen {place} wirkt verängstigt, ist wohl ausgerissen. {detail}",
            "Minderjährige {place} {time}. {detail}",
        ),
        (
            "Ein Erwachsener gibt ihnen Alkohol.",
            "Sie sagt, sie will nicht nach Hause.",
            "Es ist schon nach Mitternacht.",
        ),
    ),
    "social-hygiene-health": P(
        "eine Person in schlechtem gesundheitlichem Zustand",
        (
            "Der Mann {place} hat offene Wunden an den Beinen. {detail}",
            "Eine Person {place} ist völlig verwahrlost. {detail}",
            "Gesundheitlich schlechter Zustand einer Person {place}. {detail}",
            "{place} sitzt {since} jemand in seinen eigenen Ausscheidungen.",
        ),
        (
            "Er braucht dringend einen Arzt.",
            "Er will aber nicht ins Krankenhaus.",
            "Es riecht sehr stark.",
        ),
    ),
    "social-mental-crisis": P(
        "eine Person in psychischer Krise",
        (
            "Eine Frau {place} schreit {time} herum und redet wirres Zeug. {detail}",
            "{place} steht ein junger Mann und sagt, er will nicht mehr leben. {detail}",
            "Person {place} in einer psychischen Ausnahmesituation. {detail}",
            "Der Mann {place} führt {since} Selbstgespräche und wirkt sehr verwirrt. {detail}",
        ),
        (
            "Ich bin bei ihm geblieben.",
            "Sie läuft immer wieder auf die Straße.",
            "Er wirkt nicht gefährlich, aber sehr verzweifelt.",
        ),
    ),
}

# What a note's headline says, in the nominative: "Spritzen Theaterplatz", "Offener Drogenkonsum …".
HEADLINES: dict[str, tuple[str, ...]] = {
    "security-drug-scene": ("Offener Drogenkonsum", "Drogenszene", "Konsum in der Öffentlichkeit"),
    "security-drug-dealing": ("Drogenhandel", "Verdacht auf Drogenhandel", "Dealer"),
    "security-aggression": ("Aggressive Person", "Bedrohung", "Pöbelnder Mann"),
    "security-fight": ("Schlägerei", "Streit mit Handgreiflichkeiten", "Prügelei"),
    "security-harassment": ("Belästigung", "Belästigung von Frauen", "Belästigung von Passanten"),
    "security-night-disorder": ("Randale", "Nächtliche Randale", "Krawall in der Nacht"),
    "security-vandalism": ("Sachbeschädigung", "Vandalismus", "Mutwillige Zerstörung"),
    "security-fear-space": ("Angstraum", "Dunkle Ecke", "Unsicherer Ort"),
    "security-dangerous-dog": ("Gefährlicher Hund", "Beißvorfall", "Hund ohne Maulkorb"),
    "security-suspicious-object": (
        "Herrenloser Koffer",
        "Verdächtiger Gegenstand",
        "Herrenlose Tasche",
    ),
    "order-public-drinking": ("Alkoholkonsum", "Alkohol in der Verbotszone", "Trinkende Personen"),
    "order-drinking-group": ("Trinkgruppe", "Alkoholszene", "Trinkgelage"),
    "order-aggressive-begging": ("Aggressives Betteln", "Aufdringliche Bettler", "Bettelei"),
    "order-noise": ("Ruhestörung", "Lärm", "Laute Musik"),
    "order-car-posers": ("Autoposer", "Motorlärm", "Raser"),
    "order-encampment": ("Wildes Lager", "Zelt im Grünstreifen", "Matratzenlager"),
    "order-youth-gathering": ("Jugendgruppe", "Ansammlung Jugendlicher", "Gruppe junger Männer"),
    "order-street-trading": (
        "Unerlaubter Straßenhandel",
        "Verkaufsstand ohne Erlaubnis",
        "Hütchenspieler",
    ),
    "order-posters": ("Wildes Plakatieren", "Plakate", "Aufkleber an Laternen"),
    "order-public-urination": ("Wildpinkeln", "Urin im Hauseingang", "Wildpinkler"),
    "order-pigeon-feeding": ("Taubenfüttern", "Taubenfütterung", "Futter ausgelegt"),
    "order-playground-misuse": (
        "Spielplatz zweckentfremdet",
        "Erwachsene auf Spielplatz",
        "Trinken auf Spielplatz",
    ),
    "order-dogs-off-leash": ("Hund ohne Leine", "Freilaufende Hunde", "Leinenpflicht missachtet"),
    "order-dog-fouling": ("Hundekot nicht beseitigt", "Hundehalter lässt Kot liegen", "Hundekot"),
    "order-parking-footpath": ("Gehwegparker", "Falschparker", "Radweg zugeparkt"),
    "order-blocked-access": (
        "Einfahrt zugeparkt",
        "Feuerwehrzufahrt blockiert",
        "Zugeparkte Garage",
    ),
    "order-e-scooters": ("E-Scooter auf Gehweg", "Umgekippte E-Roller", "Leihroller blockiert Weg"),
    "order-cycling-pedestrian-zone": ("Radfahrer in Fußgängerzone", "Radfahrer", "Kampfradler"),
    "order-bins-on-footpath": ("Mülltonnen auf Gehweg", "Tonnen nicht reingeholt", "Mülltonnen"),
    "cleanliness-syringes": ("Spritzen", "Spritzenfund", "Drogenbesteck"),
    "cleanliness-litter": ("Müll", "Vermüllung", "Unrat"),
    "cleanliness-broken-glass": ("Glasscherben", "Scherben", "Zerbrochene Flaschen"),
    "cleanliness-graffiti": ("Graffiti", "Schmierereien", "Beschmierte Wand"),
    "cleanliness-public-toilets": ("Öffentliche Toilette verschmutzt", "WC defekt", "Toilette"),
    "cleanliness-markings-signs": (
        "Schild beschädigt",
        "Verkehrszeichen umgefahren",
        "Markierung verblasst",
    ),
    "cleanliness-street-lighting": ("Laterne defekt", "Straßenbeleuchtung aus", "Laterne"),
    "cleanliness-traffic-lights": ("Ampel defekt", "Ampelausfall", "Ampel"),
    "cleanliness-street-cleaning": ("Straße verschmutzt", "Laub auf Gehweg", "Straßenreinigung"),
    "cleanliness-winter-service": ("Glätte", "Nicht gestreut", "Winterdienst"),
    "cleanliness-road-damage": ("Schlagloch", "Straßenschaden", "Gehwegplatten lose"),
    "cleanliness-road-works": ("Baustelle", "Baustelle ungesichert", "Absperrung umgefallen"),
    "cleanliness-illegal-dumping": (
        "Wilder Müll",
        "Sperrmüll abgeladen",
        "Illegale Müllablagerung",
    ),
    "cleanliness-dog-waste": ("Hundekot", "Hundehaufen", "Hundekot auf Gehweg"),
    "cleanliness-scrap-vehicles": ("Schrottauto", "Fahrzeug ohne Kennzeichen", "Autowrack"),
    "cleanliness-scrap-bicycles": ("Schrottfahrrad", "Fahrradleichen", "Schrottrad"),
    "cleanliness-litter-bins": (
        "Papierkorb voll",
        "Mülleimer quillt über",
        "Überfüllte Papierkörbe",
    ),
    "cleanliness-containers": (
        "Glascontainer vermüllt",
        "Altkleidercontainer voll",
        "Containerstandort",
    ),
    "cleanliness-trees": ("Ast abgebrochen", "Baum", "Hecke wuchert"),
    "cleanliness-parks": ("Grünanlage", "Parkbank defekt", "Park ungepflegt"),
    "cleanliness-playgrounds": ("Spielgerät defekt", "Spielplatz", "Schaukel kaputt"),
    "cleanliness-drains": ("Gully verstopft", "Kanaldeckel", "Straßenablauf"),
    "cleanliness-sports-grounds": ("Bolzplatz", "Sportanlage beschädigt", "Tor kaputt"),
    "social-person-in-need": ("Hilflose Person", "Person braucht Hilfe", "Mann am Boden"),
    "social-sleeping-rough": (
        "Obdachlose Person",
        "Person schläft draußen",
        "Schlafplatz im Hauseingang",
    ),
    "social-cold-weather": ("Kältehilfe", "Person friert", "Person bei Frost draußen"),
    "social-intoxicated": (
        "Stark betrunkene Person",
        "Person nicht ansprechbar",
        "Person unter Drogeneinfluss",
    ),
    "social-addiction-advice": (
        "Bitte um Suchtberatung",
        "Beratungswunsch",
        "Angehörige sucht Hilfe",
    ),
    "social-begging-need": ("Bettelnde Person in Not", "Bedürftige Person", "Bettelnde Frau"),
    "social-minors-at-risk": (
        "Minderjährige gefährdet",
        "Kinder allein unterwegs",
        "Jugendliche in der Szene",
    ),
    "social-hygiene-health": (
        "Person verwahrlost",
        "Gesundheitlich schlechter Zustand",
        "Person mit Wunden",
    ),
    "social-mental-crisis": ("Person in Krise", "Verwirrte Person", "Psychische Ausnahmesituation"),
}
