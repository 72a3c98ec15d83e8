"""The tables behind the demo company: names, plans, conversation topics and phrases.

Pure data for `demo_company`, `demo_people` and `demo_history`. English has a full dialogue
per topic; Spanish, Italian, Swedish, Russian and Serbian (both scripts) have an opener per topic
and a few generic turns, enough for every supported language (DOMAIN.md section 9) to appear in
the demo timelines.
"""

from __future__ import annotations

from dataclasses import dataclass

from teamline.domain.enums import Channel, EquipmentClass, Segment

# --- people ---------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "en": _words(
        "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William "
        "Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy "
        "Matthew Lisa Anthony Betty Mark Sandra Steven Ashley Andrew Emily Kevin Michelle "
        "Brian Amanda Jamal Aisha Wei Mei Raj Priya Tyrone Keisha Hiroshi Yuki Omar "
        "Fatima Diego Lucia Kwame Ngozi Connor Siobhan"
    ),
    "es": _words(
        "Alejandro Sofía Carlos Valentina Javier Camila Luis Isabel Miguel Gabriela José "
        "Daniela Fernando Lucía Ricardo Elena Andrés Paula Jorge Carmen"
    ),
    "it": _words(
        "Giuseppe Giulia Marco Francesca Luca Chiara Alessandro Sara Matteo Elena Lorenzo "
        "Federica Davide Martina Andrea Alessia Stefano Valentina Paolo Silvia"
    ),
    "sv": _words(
        "Erik Anna Lars Karin Johan Maria Anders Eva Oskar Ingrid Nils Astrid Gustav Elsa "
        "Björn Linnéa"
    ),
    "ru": _words(
        "Alexei Olga Dmitri Natalia Sergei Irina Ivan Tatiana Mikhail Svetlana Andrei "
        "Ekaterina Pavel Yulia Nikolai Anastasia"
    ),
    "sr": _words(
        "Marko Jelena Nikola Milica Stefan Ana Miloš Jovana Lazar Teodora Dušan Ivana Vuk "
        "Marija Đorđe Katarina"
    ),
}

LAST_NAMES: dict[str, tuple[str, ...]] = {
    "en": _words(
        "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas "
        "Moore Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young "
        "Allen King Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Nguyen "
        "Kim Patel Chen Okafor O'Brien Washington Tanaka Haddad Murphy Cohen Kowalski "
        "Silva Mensah"
    ),
    "es": _words(
        "García Martínez Rodríguez López Hernández González Pérez Sánchez Ramírez Torres "
        "Flores Rivera Gómez Díaz Morales Castillo Ortiz Vargas Romero Mendoza"
    ),
    "it": _words(
        "Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti Barbieri Mancini Costa "
        "Giordano Rizzo Lombardi Moretti Esposito Ferrari Russo Fontana"
    ),
    "sv": _words(
        "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson "
        "Gustafsson Lindqvist Lindström Bergström Åberg"
    ),
    "ru": _words(
        "Ivanov Smirnova Kuznetsov Popova Sokolov Lebedeva Kozlov Novikova Morozov "
        "Petrova Volkov Solovyova Vasiliev Zaitseva"
    ),
    "sr": _words(
        "Jovanović Petrović Nikolić Marković Đorđević Stojanović Ilić Stanković Pavlović "
        "Milošević Popović Kovačević Savić Todorović"
    ),
}

BUSINESS_NAMES = _words(
    "Harbor Summit Prairie Redwood Lakeside Granite Bluebird Ironworks Northstar Cedar Maple "
    "Silverline Keystone Riverside Canyon Beacon"
)
BUSINESS_TRADES = _words(
    "Logistics Dental Plumbing Realty Bakery Construction Legal Clinic Landscaping Catering "
    "Garage Consulting Printing Fitness"
)
BUSINESS_SUFFIXES = ("LLC", "Inc.", "Co.", "Group")

EMAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example.com")

# --- organisation ---------------------------------------------------------------------------

# (region key, region name, IANA zone, the two regional team names)
REGIONS = (
    ("east", "East", "America/New_York", ("Hudson", "Liberty")),
    ("central", "Central", "America/Chicago", ("Prairie", "Lakeshore")),
    ("west", "West", "America/Los_Angeles", ("Pacific", "Sierra")),
)
REGION_WEIGHTS = (0.40, 0.27, 0.33)
# Which regions border which: a flooded team borrows from its sibling first, then from these.
ADJACENT_REGIONS = {"east": ("central",), "central": ("east", "west"), "west": ("central",)}

# Probability that an agent speaks each language besides English.
AGENT_LANGUAGE_SHARE = {"es": 0.20, "it": 0.05, "sv": 0.03, "ru": 0.05, "sr": 0.04}
# Customer languages: mostly English, some of each other supported language.
CUSTOMER_LANGUAGE_WEIGHTS = {"en": 80, "es": 9, "it": 3, "sv": 2, "ru": 3, "sr": 3}

# --- products -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plan:
    name: str
    segment: Segment
    monthly: str  # price per line, a Decimal string
    equipment: EquipmentClass = EquipmentClass.NONE
    grandfathered: bool = False


PLANS: tuple[Plan, ...] = (
    Plan("Prepaid Basic", Segment.PREPAID, "15.00", EquipmentClass.BASIC),
    Plan("Prepaid Talk & Text", Segment.PREPAID, "25.00"),
    Plan("Prepaid Unlimited", Segment.PREPAID, "40.00", EquipmentClass.SMARTPHONE),
    Plan("Unlimited Starter", Segment.POSTPAID, "55.00", EquipmentClass.SMARTPHONE),
    Plan("Unlimited Plus", Segment.POSTPAID, "75.00", EquipmentClass.SMARTPHONE),
    Plan("Essentials 5 GB", Segment.POSTPAID, "35.00", EquipmentClass.BASIC),
    Plan("Home Internet 300", Segment.POSTPAID, "50.00"),
    Plan("Mobile + Home Bundle", Segment.POSTPAID, "110.00", EquipmentClass.SMARTPHONE),
    Plan("Unlimited Data (legacy)", Segment.POSTPAID, "45.00", EquipmentClass.SMARTPHONE, True),
    Plan("Business Unlimited", Segment.BUSINESS, "35.00", EquipmentClass.SMARTPHONE),
    Plan("Business Fiber + Mobile", Segment.BUSINESS, "60.00", EquipmentClass.SMARTPHONE),
)
PLAN_WEIGHTS: dict[str, int] = {
    "Prepaid Basic": 3,
    "Prepaid Talk & Text": 3,
    "Prepaid Unlimited": 4,
    "Unlimited Starter": 6,
    "Unlimited Plus": 6,
    "Essentials 5 GB": 3,
    "Home Internet 300": 4,
    "Mobile + Home Bundle": 3,
    "Unlimited Data (legacy)": 1,
    "Business Unlimited": 2,
    "Business Fiber + Mobile": 1,
}

# --- conversations --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Topic:
    """What a contact is about: an English dialogue; other languages use the openers below."""

    key: str
    subject: str
    opener: str
    reply: str  # {name}: the customer's first name, {agent}: the agent's first name
    follow_up: str
    resolution: str
    note: str  # an internal note, never shown to the customer


TOPICS: tuple[Topic, ...] = (
    Topic(
        "bill_high",
        "Bill higher than expected",
        "Hi, my bill this month is about $30 higher than usual. Can you tell me why?",
        "Hi {name}, this is {agent} from your team. Let me compare your last two bills.",
        "It shows a roaming charge, but I never left the country.",
        "You're right: it came from a network error near the border. I've credited it back; "
        "you'll see it on the next bill.",
        "Roaming charge disputed; network error confirmed; credit applied.",
    ),
    Topic(
        "unlock",
        "Unlock code for travel",
        "I'm travelling abroad next month. Can I get an unlock code for my phone?",
        "Hi {name}, {agent} here. Your account is eligible: I've opened an unlock request and "
        "you can follow its status in the app.",
        "Great, how long does it usually take?",
        "The unlock team usually answers within two business days. I'll write here as soon as "
        "the code is ready.",
        "Unlock request opened; device paid off, account in good standing.",
    ),
    Topic(
        "dropped_calls",
        "Dropped calls at home",
        "My calls keep dropping at home, three times today already.",
        "I'm sorry, {name}. This is {agent}. I can see the dropped calls on our side and two "
        "other reports from your area.",
        "Is there anything you can do? I work from home.",
        "An engineer will check the cell site this week, and I'm sending you a free microcell so "
        "you have full signal indoors meanwhile.",
        "Dropped calls verified; area ticket linked; microcell shipped free of charge.",
    ),
    Topic(
        "plan_change",
        "Change of plan",
        "I'd like to switch to a cheaper plan, I don't use that much data.",
        "Hi {name}, {agent} from your team. You used about 4 GB a month lately; there's a plan "
        "that fits and saves you money.",
        "Will I lose anything if I switch?",
        "No fees and no new commitment. The new plan starts on your next billing cycle.",
        "Plan change scheduled for next cycle; no grandfathered features on the account.",
    ),
    Topic(
        "device_upgrade",
        "Device upgrade",
        "Am I eligible for a new phone yet?",
        "Hi {name}, this is {agent}. Yes, you're eligible for an upgrade from this month.",
        "Does upgrading change my current plan?",
        "Before you confirm: an upgrade renews your contract terms, so please review them in the "
        "app first. Nothing changes until you accept.",
        "Upgrade eligibility confirmed; customer warned about the new terms before confirming.",
    ),
    Topic(
        "payment_missing",
        "Payment not showing",
        "I paid my bill on the 3rd but the app still shows a balance.",
        "Hi {name}, {agent} here. I don't see the payment yet. Could you send the receipt and a "
        "short written claim through the app?",
        "I've just uploaded the receipt.",
        "Thank you, the claim is filed with the receipt; billing will match it within five "
        "business days and no late fee will apply.",
        "Payment claim filed with receipt; late fee suppressed until resolved.",
    ),
    Topic(
        "internet_outage",
        "Home internet outage",
        "My home internet has been down since this morning.",
        "Hi {name}, I'm {agent} from your team. There's a local outage after last night's storm; "
        "crews are on it.",
        "Any idea when it will be back?",
        "The estimate is this evening. I've added a credit for the day and you'll get a text "
        "when it's restored.",
        "Regional outage; customer linked to the incident; one-day credit applied.",
    ),
    Topic(
        "suspension",
        "Suspend service while away",
        "I'll be away for two months. Can I suspend my line while I'm gone?",
        "Hi {name}, {agent} here. Yes, a voluntary suspension is possible on your account.",
        "Do I keep my number?",
        "You keep your number. The suspension runs from the 1st to the end of next month and "
        "billing pauses meanwhile.",
        "Voluntary suspension scheduled; number retained.",
    ),
    Topic(
        "new_connection",
        "New home internet connection",
        "I requested home internet on your website last week and haven't heard back.",
        "Hi {name}, this is {agent}. I found your request: it's recorded as an order and I can "
        "see its status.",
        "When can the installer come?",
        "Installation is booked within three days; you'll get the contract, the settings sheet "
        "and your online account credentials at installation.",
        "Web order found and acknowledged; installation slot confirmed.",
    ),
    Topic(
        "cancel_refund",
        "Cancellation and refund",
        "I cancelled my TV service but I was charged for the whole month.",
        "Hi {name}, {agent} from your team. I can see the cancellation date and the charge.",
        "I'd like the money back on my card, not a voucher.",
        "Of course: the days after the cancellation are refunded to your card within 3-5 "
        "business days.",
        "Refund to card for the days after cancellation; no voucher.",
    ),
    Topic(
        "top_up",
        "Top-up and balance",
        "My balance is zero and my phone stopped working. How can I pay right now?",
        "Hi {name}, I'm {agent}. A zero balance pauses a prepaid line; you can top up in the "
        "app, by text or at any store, at any hour.",
        "I topped up in the app just now.",
        "I can see it: your balance is restored and service is back.",
        "Advance-billing account; top-up confirmed; service restored.",
    ),
)

# Topics a contact on each channel is usually about (by key); others draw from all topics.
CHANNEL_TOPICS: dict[Channel, tuple[str, ...]] = {
    Channel.STORE: ("device_upgrade", "plan_change", "top_up", "new_connection"),
    Channel.FIELD: ("new_connection", "internet_outage", "dropped_calls"),
    Channel.WEB_FORM: ("new_connection", "cancel_refund", "payment_missing", "suspension"),
}

OPENERS: dict[str, dict[str, str]] = {
    "es": {
        "bill_high": "Hola, mi factura de este mes es más alta de lo normal. ¿Por qué?",
        "unlock": "Viajo al extranjero el mes que viene. ¿Me dan el código de desbloqueo?",
        "dropped_calls": "Las llamadas se cortan en casa, ya van tres veces hoy.",
        "plan_change": "Quiero cambiarme a un plan más barato, casi no uso datos.",
        "device_upgrade": "¿Ya puedo cambiar mi teléfono por uno nuevo?",
        "payment_missing": "Pagué la factura el día 3 pero la app todavía muestra un saldo.",
        "internet_outage": "El internet de mi casa no funciona desde esta mañana.",
        "suspension": "Voy a estar fuera dos meses. ¿Puedo suspender mi línea?",
        "new_connection": "Pedí internet para casa en la web y nadie me ha contestado.",
        "cancel_refund": "Cancelé la TV pero me cobraron el mes entero.",
        "top_up": "Mi saldo está en cero y el teléfono no funciona. ¿Cómo recargo ahora?",
    },
    "it": {
        "bill_high": "Buongiorno, la bolletta di questo mese è più alta del solito. Perché?",
        "unlock": "Il mese prossimo vado all'estero. Posso avere il codice di sblocco?",
        "dropped_calls": "Le chiamate a casa cadono di continuo, già tre volte oggi.",
        "plan_change": "Vorrei passare a un piano più economico, uso pochi dati.",
        "device_upgrade": "Posso già avere un telefono nuovo?",
        "payment_missing": "Ho pagato la bolletta il 3 ma l'app mostra ancora un saldo.",
        "internet_outage": "Internet di casa non funziona da stamattina.",
        "suspension": "Starò via due mesi. Posso sospendere la linea?",
        "new_connection": "Ho chiesto internet casa sul sito e nessuno mi ha risposto.",
        "cancel_refund": "Ho disdetto la TV ma mi avete addebitato tutto il mese.",
        "top_up": "Il credito è a zero e il telefono non funziona. Come ricarico adesso?",
    },
    "sv": {
        "bill_high": "Hej, min räkning är högre än vanligt den här månaden. Varför?",
        "unlock": "Jag ska resa utomlands nästa månad. Kan jag få en upplåsningskod?",
        "dropped_calls": "Mina samtal bryts hela tiden hemma, redan tre gånger i dag.",
        "plan_change": "Jag vill byta till ett billigare abonnemang, jag använder lite data.",
        "device_upgrade": "Kan jag byta till en ny telefon nu?",
        "payment_missing": "Jag betalade räkningen den 3:e men appen visar fortfarande ett saldo.",
        "internet_outage": "Bredbandet hemma har inte fungerat sedan i morse.",
        "suspension": "Jag är bortrest i två månader. Kan jag pausa mitt abonnemang?",
        "new_connection": "Jag beställde bredband på er webbplats och har inte hört något.",
        "cancel_refund": "Jag sa upp tv-tjänsten men fick betala för hela månaden.",
        "top_up": "Mitt saldo är noll och telefonen fungerar inte. Hur fyller jag på nu?",
    },
    "ru": {
        "bill_high": "Здравствуйте, счёт в этом месяце больше обычного. Почему?",
        "unlock": "В следующем месяце еду за границу. Можно получить код разблокировки?",
        "dropped_calls": "Дома постоянно обрываются звонки, сегодня уже три раза.",
        "plan_change": "Хочу перейти на тариф подешевле, я мало пользуюсь интернетом.",
        "device_upgrade": "Могу ли я уже поменять телефон на новый?",
        "payment_missing": "Я оплатил счёт третьего числа, но в приложении всё ещё долг.",
        "internet_outage": "Домашний интернет не работает с утра.",
        "suspension": "Меня не будет два месяца. Можно приостановить номер?",
        "new_connection": "Я оставил заявку на домашний интернет на сайте, никто не ответил.",
        "cancel_refund": "Я отключил телевидение, но с меня списали плату за весь месяц.",
        "top_up": "Баланс нулевой, телефон не работает. Как пополнить прямо сейчас?",
    },
    "sr": {
        "bill_high": "Dobar dan, račun za ovaj mesec je veći nego inače. Zašto?",
        "unlock": "Sledećeg meseca putujem u inostranstvo. Može kod za otključavanje?",
        "dropped_calls": "Pozivi mi se stalno prekidaju kod kuće, danas već tri puta.",
        "plan_change": "Želim da pređem na jeftiniji paket, ne trošim mnogo interneta.",
        "device_upgrade": "Да ли већ могу да добијем нови телефон?",
        "payment_missing": "Platio sam račun trećeg, ali aplikacija i dalje pokazuje dug.",
        "internet_outage": "Кућни интернет не ради од јутрос.",
        "suspension": "Biću odsutan dva meseca. Mogu li da privremeno isključim liniju?",
        "new_connection": "Na sajtu sam naručio kućni internet i niko mi se nije javio.",
        "cancel_refund": "Otkazao sam TV, ali ste mi naplatili ceo mesec.",
        "top_up": "Kredit mi je na nuli i telefon ne radi. Kako da dopunim odmah?",
    },
}


# How an agent says "from your team" in each reply; dropped when another team answers.
YOUR_TEAM = {
    "en": " from your team",
    "es": " de tu equipo",
    "it": " del tuo team",
    "sv": " från ditt team",
    "ru": " из вашей команды",
    "sr": " iz vašeg tima",
}


@dataclass(frozen=True, slots=True)
class Phrases:
    """Generic turns in one language; {name} and {agent} are first names."""

    reply: str
    follow_up: str
    resolution: str
    thanks: tuple[str, ...]


PHRASES: dict[str, Phrases] = {
    "en": Phrases("", "", "", ("Thanks, that's all I needed.", "Perfect, thank you!")),
    "es": Phrases(
        "Hola {name}, soy {agent} de tu equipo. Reviso tu cuenta ahora mismo.",
        "Gracias. ¿Cuánto tiempo tardará?",
        "Listo: lo he registrado todo en tu cuenta. Si necesitas algo, escríbeme aquí.",
        ("¡Perfecto, muchas gracias!", "Gracias, muy amable."),
    ),
    "it": Phrases(
        "Ciao {name}, sono {agent} del tuo team. Controllo subito il tuo account.",
        "Grazie. Quanto tempo ci vorrà?",
        "Fatto: ho registrato tutto sul tuo account. Per qualsiasi cosa, scrivimi qui.",
        ("Perfetto, grazie mille!", "Grazie, gentilissimi."),
    ),
    "sv": Phrases(
        "Hej {name}, det är {agent} från ditt team. Jag tittar på ditt konto direkt.",
        "Tack. Hur lång tid tar det?",
        "Klart: jag har noterat allt på ditt konto. Skriv här om du behöver något mer.",
        ("Perfekt, tack så mycket!", "Tack för hjälpen!"),
    ),
    "ru": Phrases(
        "Здравствуйте, {name}! Это {agent} из вашей команды. Сейчас проверю ваш счёт.",
        "Спасибо. Сколько времени это займёт?",
        "Готово: я всё отметил в вашем аккаунте. Если что-то понадобится, пишите сюда.",
        ("Отлично, большое спасибо!", "Спасибо за помощь!"),
    ),
    "sr": Phrases(
        "Zdravo {name}, ja sam {agent} iz vašeg tima. Odmah proveravam vaš nalog.",
        "Hvala. Koliko će to trajati?",
        "Gotovo: sve sam zabeležio na vašem nalogu. Ako vam nešto treba, pišite ovde.",
        ("Хвала вам пуно!", "Super, hvala!"),
    ),
}

# --- the well-known demo customer -------------------------------------------------------------

MARIA = {
    "name": "Maria Rossi",
    "language": "it",
    "phone": "(555) 010-0199",
    "email": "maria.rossi@example.com",
    "account": "100000001",
    "twitter": "twitter:@MariaRossi",
}


@dataclass(frozen=True, slots=True)
class ScriptedContact:
    """One contact of Maria's history; turns are (author, text, minutes after the previous).

    Author: "c" customer, "a" agent, "n" internal agent note, "s" system.
    """

    days_ago: int
    local_time: str
    channel: Channel
    subject: str
    turns: tuple[tuple[str, str, int], ...]
    outbound: bool = False
    abandoned: bool = False


MARIA_HISTORY: tuple[ScriptedContact, ...] = (
    ScriptedContact(
        150,
        "10:15",
        Channel.VOICE,
        "Bill higher than expected",
        (
            ("c", "Buongiorno, sono Maria Rossi. La bolletta è più alta di 30 dollari.", 0),
            ("a", "Buongiorno Maria, sono {agent} del suo team. Vedo un addebito di roaming.", 1),
            ("c", "Ma io non sono uscita dal paese!", 1),
            ("a", "Ha ragione, è un errore di rete: le accredito 30 dollari sulla bolletta.", 2),
            ("n", "Roaming charge disputed; network error confirmed; 30.00 USD credit.", 3),
        ),
    ),
    ScriptedContact(
        112,
        "19:40",
        Channel.EMAIL,
        "Copy of my contract",
        (
            ("c", "Buonasera, potete inviarmi il contratto e le condizioni di garanzia?", 0),
            ("a", "Gentile Maria, li trova nella sezione Documenti dell'app. Saluti, {agent}", 840),
            ("c", "Ricevuto, grazie!", 120),
        ),
    ),
    ScriptedContact(
        75,
        "22:10",
        Channel.CHAT,
        "Dropped calls at home",
        (
            ("c", "Ciao, a casa le chiamate cadono continuamente.", 0),
            ("a", "Ciao Maria, sono {agent}. Vedo tre chiamate interrotte.", 1),
            ("c", "Lavoro da casa, è un problema serio.", 1),
            ("a", "Ti mando gratis una microcella; un tecnico controllerà l'antenna.", 2),
            ("n", "Dropped calls verified; area ticket linked; free microcell shipped.", 1),
        ),
    ),
    ScriptedContact(
        68,
        "14:00",
        Channel.FIELD,
        "Microcell installation",
        (
            ("s", "Installer visit logged: microcell installed, indoor signal 5/5.", 0),
            ("a", "Ciao Maria, la microcella è installata. Se le chiamate cadono, scrivimi.", 60),
            ("c", "Funziona benissimo, grazie!", 180),
        ),
    ),
    ScriptedContact(
        30,
        "12:30",
        Channel.VOICE,
        "Question about my bill",
        (
            ("s", "Call queued for {team}.", 0),
            ("s", "The caller hung up after 6 minutes in queue; a callback was offered.", 6),
        ),
        abandoned=True,
    ),
    ScriptedContact(
        30,
        "13:05",
        Channel.CALLBACK,
        "Question about my bill",
        (
            ("a", "Buongiorno Maria, sono {agent}: la richiamo come richiesto.", 0),
            ("c", "Grazie. L'accredito per il roaming è stato applicato?", 1),
            ("a", "Sì, due bollette fa; il saldo attuale è zero.", 1),
            ("c", "Perfetto, grazie mille!", 1),
        ),
        outbound=True,
    ),
    ScriptedContact(
        9,
        "09:20",
        Channel.ASYNC,
        "Unlock code for travel",
        (
            ("c", "Ciao, a dicembre vado in Italia. Posso avere il codice di sblocco?", 0),
            ("a", "Ciao Maria, sono {agent}. Richiesta di sblocco aperta: la segui in app.", 45),
            ("n", "Unlock request opened; device paid off, account in good standing.", 1),
        ),
    ),
    ScriptedContact(
        3,
        "18:45",
        Channel.ASYNC,
        "Unlock code for travel",
        (
            ("c", "Ci sono novità sul codice di sblocco? Parto la settimana prossima.", 0),
            ("a", "Il team sblocchi ci sta lavorando: ti scrivo qui appena è pronto.", 30),
        ),
    ),
)
