"""Invented people (employees of the clients) for the personal-data test set.

Names are common ones for each nationality, with correct feminine surname forms. None of these people is
real; any match with a real person is coincidence. The clients' registered contacts and the vendor's agents
(config.yaml) are deliberately not in these pools.
"""
from __future__ import annotations

import datetime
import random
import unicodedata
from dataclasses import dataclass, field

from . import codes

NAMES = {
    "lv": {
        "M": ["Jānis", "Andris", "Māris", "Edgars", "Kārlis", "Roberts", "Artūrs", "Raivis", "Gints", "Uldis",
              "Valdis", "Aigars", "Rihards", "Dāvis", "Toms", "Mārtiņš", "Sergejs", "Aleksandrs", "Dmitrijs", "Guntis"],
        "F": ["Līga", "Inese", "Kristīne", "Laura", "Dace", "Sanita", "Evija", "Zane", "Agnese", "Marta",
              "Elīna", "Olga", "Jeļena", "Svetlana", "Ieva", "Baiba", "Gunta", "Madara", "Signe", "Anete"],
        "S": [("Ozols", "Ozola"), ("Kalniņš", "Kalniņa"), ("Liepiņš", "Liepiņa"), ("Krūmiņš", "Krūmiņa"),
              ("Zariņš", "Zariņa"), ("Jansons", "Jansone"), ("Vītols", "Vītola"), ("Eglītis", "Eglīte"),
              ("Kļaviņš", "Kļaviņa"), ("Pētersons", "Pētersone"), ("Balodis", "Balode"), ("Siliņš", "Siliņa"),
              ("Lācis", "Lāce"), ("Ivanovs", "Ivanova"), ("Petrovs", "Petrova"), ("Kuzņecovs", "Kuzņecova"),
              ("Strazds", "Strazda"), ("Grīnbergs", "Grīnberga"), ("Zvaigzne", "Zvaigzne"), ("Avotiņš", "Avotiņa")],
    },
    "lt": {
        "M": ["Tomas", "Mantas", "Darius", "Paulius", "Andrius", "Vytautas", "Mindaugas", "Lukas", "Rokas",
              "Tadas", "Giedrius", "Marius", "Saulius", "Justas", "Žilvinas"],
        "F": ["Rūta", "Asta", "Ieva", "Giedrė", "Jurgita", "Lina", "Eglė", "Vaida", "Kristina", "Inga", "Aušra",
              "Gintarė", "Simona", "Dalia", "Jūratė"],
        "S": [("Kazlauskas", "Kazlauskienė", "Kazlauskaitė"), ("Petrauskas", "Petrauskienė", "Petrauskaitė"),
              ("Jankauskas", "Jankauskienė", "Jankauskaitė"), ("Stankevičius", "Stankevičienė", "Stankevičiūtė"),
              ("Vasiliauskas", "Vasiliauskienė", "Vasiliauskaitė"), ("Žukauskas", "Žukauskienė", "Žukauskaitė"),
              ("Butkus", "Butkienė", "Butkutė"), ("Paulauskas", "Paulauskienė", "Paulauskaitė"),
              ("Urbonas", "Urbonienė", "Urbonaitė"), ("Kavaliauskas", "Kavaliauskienė", "Kavaliauskaitė"),
              ("Navickas", "Navickienė", "Navickaitė"), ("Ramanauskas", "Ramanauskienė", "Ramanauskaitė"),
              ("Baranauskas", "Baranauskienė", "Baranauskaitė"), ("Šimkus", "Šimkienė", "Šimkutė"),
              ("Girdauskas", "Girdauskienė", "Girdauskaitė")],
    },
    "ro": {
        "M": ["Ion", "Andrei", "Mihai", "Alexandru", "Gheorghe", "Florin", "Cristian", "Bogdan", "Vlad", "Radu",
              "Ștefan", "Adrian", "Cătălin", "Sorin", "Dan"],
        "F": ["Elena", "Ioana", "Andreea", "Ana", "Mihaela", "Cristina", "Alina", "Gabriela", "Raluca",
              "Ștefania", "Diana", "Roxana", "Simona", "Larisa", "Oana"],
        "S": [(s, s) for s in ["Ionescu", "Popa", "Dumitrescu", "Stan", "Stoica", "Gheorghe", "Rusu", "Constantin",
                               "Matei", "Marin", "Țurcanu", "Sârbu", "Lupu", "Dobre", "Ciobanu", "Niculescu",
                               "Bălan", "Moldovan", "Mureșan", "Pop", "Toma", "Dragomir"]],
    },
    "sk": {
        "M": ["Martin", "Michal", "Tomáš", "Ján", "Jozef", "Marek", "Lukáš", "Juraj", "Milan", "Ondrej",
              "Matej", "Roman", "Štefan", "Dušan"],
        "F": ["Jana", "Mária", "Katarína", "Lucia", "Martina", "Veronika", "Monika", "Andrea", "Simona",
              "Ivana", "Silvia", "Dominika", "Ľubica"],
        "S": [("Kováč", "Kováčová"), ("Horváth", "Horváthová"), ("Varga", "Vargová"), ("Tóth", "Tóthová"),
              ("Baláž", "Balážová"), ("Szabó", "Szabóová"), ("Molnár", "Molnárová"), ("Lukáč", "Lukáčová"),
              ("Hudák", "Hudáková"), ("Kollár", "Kollárová"), ("Šimko", "Šimková"), ("Polák", "Poláková"),
              ("Mikuláš", "Mikulášová"), ("Oravec", "Oravcová"), ("Ďurica", "Ďuricová"), ("Gregor", "Gregorová")],
    },
    "cz": {
        "M": ["Jiří", "Petr", "Pavel", "Jakub", "Tomáš", "Lukáš", "Ondřej", "Vojtěch", "Jan", "Zdeněk"],
        "F": ["Petra", "Lenka", "Tereza", "Hana", "Kateřina", "Lucie", "Markéta", "Veronika", "Alena", "Jitka"],
        "S": [("Dvořák", "Dvořáková"), ("Svoboda", "Svobodová"), ("Novotný", "Novotná"), ("Černý", "Černá"),
              ("Procházka", "Procházková"), ("Kučera", "Kučerová"), ("Veselý", "Veselá"), ("Němec", "Němcová"),
              ("Marek", "Marková"), ("Pokorný", "Pokorná"), ("Růžička", "Růžičková"), ("Beneš", "Benešová")],
    },
    "ee": {
        "M": ["Märt", "Andres", "Tõnu", "Rein", "Jaan", "Priit", "Kristjan", "Siim", "Urmas", "Toomas"],
        "F": ["Kadri", "Mari", "Triin", "Liis", "Kertu", "Piret", "Ülle", "Kätlin", "Maarja", "Helen"],
        "S": [(s, s) for s in ["Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves", "Pärn",
                               "Koppel", "Õunapuu", "Lepik", "Kallas", "Laur", "Vaher"]],
    },
    "pl": {
        "M": ["Piotr", "Krzysztof", "Tomasz", "Paweł", "Michał", "Marcin", "Łukasz", "Grzegorz", "Wojciech", "Jakub"],
        "F": ["Katarzyna", "Małgorzata", "Agnieszka", "Joanna", "Magdalena", "Ewa", "Barbara", "Zofia", "Aleksandra"],
        "S": [("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"), ("Wójcik", "Wójcik"), ("Kamiński", "Kamińska"),
              ("Lewandowski", "Lewandowska"), ("Zieliński", "Zielińska"), ("Szymański", "Szymańska"),
              ("Woźniak", "Woźniak"), ("Dąbrowski", "Dąbrowska"), ("Sienkiewicz", "Sienkiewicz"),
              ("Wołkowicz", "Wołkowicz"), ("Jabłoński", "Jabłońska")],
    },
    "ru": {
        "M": [("Иван", "Иванович"), ("Алексей", "Алексеевич"), ("Дмитрий", "Дмитриевич"), ("Сергей", "Сергеевич"),
              ("Андрей", "Андреевич"), ("Михаил", "Михайлович"), ("Николай", "Николаевич"), ("Павел", "Павлович"),
              ("Артём", "Артёмович"), ("Владимир", "Владимирович"), ("Евгений", "Евгеньевич"),
              ("Константин", "Константинович")],
        "F": [("Елена", None), ("Ольга", None), ("Татьяна", None), ("Наталья", None), ("Мария", None),
              ("Екатерина", None), ("Ирина", None), ("Юлия", None), ("Анастасия", None), ("Галина", None),
              ("Людмила", None)],
        "P": ["Иван", "Алексей", "Дмитрий", "Сергей", "Андрей", "Михаил", "Николай", "Павел", "Владимир",
              "Евгений", "Константин", "Олег"],
        "S": [("Смирнов", "Смирнова"), ("Кузнецов", "Кузнецова"), ("Попов", "Попова"), ("Васильев", "Васильева"),
              ("Петров", "Петрова"), ("Козлов", "Козлова"), ("Новиков", "Новикова"), ("Волков", "Волкова"),
              ("Фёдоров", "Фёдорова"), ("Зайцев", "Зайцева"), ("Павлов", "Павлова"), ("Семёнов", "Семёнова"),
              ("Голубев", "Голубева"), ("Виноградов", "Виноградова"), ("Богданов", "Богданова"),
              ("Тарасов", "Тарасова"), ("Жуков", "Жукова"), ("Егоров", "Егорова")],
    },
}

_PATRONYMIC_F = {"Иван": "Ивановна", "Алексей": "Алексеевна", "Дмитрий": "Дмитриевна", "Сергей": "Сергеевна",
                 "Андрей": "Андреевна", "Михаил": "Михайловна", "Николай": "Николаевна", "Павел": "Павловна",
                 "Владимир": "Владимировна", "Евгений": "Евгеньевна", "Константин": "Константиновна",
                 "Олег": "Олеговна"}
_PATRONYMIC_M = {"Иван": "Иванович", "Алексей": "Алексеевич", "Дмитрий": "Дмитриевич", "Сергей": "Сергеевич",
                 "Андрей": "Андреевич", "Михаил": "Михайлович", "Николай": "Николаевич", "Павел": "Павлович",
                 "Владимир": "Владимирович", "Евгений": "Евгеньевич", "Константин": "Константинович",
                 "Олег": "Олегович"}

POSITIONS = {
    "lv": [("grāmatvedis", "grāmatvede"), ("noliktavas pārzinis", "noliktavas pārzine"),
           ("pārdošanas vadītājs", "pārdošanas vadītāja"), ("autovadītājs", "autovadītāja"),
           ("programmētājs", "programmētāja"), ("projektu vadītājs", "projektu vadītāja"),
           ("biroja administrators", "biroja administratore"), ("loģistikas speciālists", "loģistikas speciāliste"),
           ("mārketinga speciālists", "mārketinga speciāliste"), ("klientu konsultants", "klientu konsultante"),
           ("elektriķis", "elektriķe"), ("iepirkumu speciālists", "iepirkumu speciāliste")],
    "lt": [("buhalteris", "buhalterė"), ("sandėlininkas", "sandėlininkė"), ("pardavimų vadybininkas", "pardavimų vadybininkė"),
           ("vairuotojas", "vairuotoja"), ("programuotojas", "programuotoja"), ("projektų vadovas", "projektų vadovė"),
           ("administratorius", "administratorė"), ("logistikos specialistas", "logistikos specialistė"),
           ("klientų aptarnavimo specialistas", "klientų aptarnavimo specialistė"), ("valytojas", "valytoja"),
           ("elektrikas", "elektrikė"), ("pirkimų vadybininkas", "pirkimų vadybininkė")],
    "ro": [("contabil", "contabilă"), ("gestionar", "gestionară"), ("agent vânzări", "agent vânzări"),
           ("șofer", "șoferiță"), ("programator", "programatoare"), ("manager proiect", "manager proiect"),
           ("operator date", "operator date"), ("economist", "economistă"), ("inginer", "inginer"),
           ("asistent manager", "asistent manager"), ("electrician", "electrician"), ("magaziner", "magazineră")],
    "sk": [("účtovník", "účtovníčka"), ("skladník", "skladníčka"), ("obchodný zástupca", "obchodná zástupkyňa"),
           ("vodič", "vodička"), ("programátor", "programátorka"), ("projektový manažér", "projektová manažérka"),
           ("asistent", "asistentka"), ("logistik", "logistička"), ("technik", "technička"),
           ("referent nákupu", "referentka nákupu"), ("elektrikár", "elektrikárka"), ("mzdový účtovník", "mzdová účtovníčka")],
    "ru": [("бухгалтер", "бухгалтер"), ("кладовщик", "кладовщица"), ("менеджер по продажам", "менеджер по продажам"),
           ("водитель", "водитель"), ("программист", "программист"), ("инженер", "инженер"),
           ("офис-менеджер", "офис-менеджер"), ("логист", "логист"), ("юрист", "юрист"),
           ("специалист по закупкам", "специалист по закупкам"), ("электромонтёр", "электромонтёр"),
           ("экономист", "экономист")],
    "en": [("accountant", "accountant"), ("warehouse keeper", "warehouse keeper"), ("sales manager", "sales manager"),
           ("driver", "driver"), ("developer", "developer"), ("project manager", "project manager"),
           ("office administrator", "office administrator"), ("logistics specialist", "logistics specialist"),
           ("customer consultant", "customer consultant"), ("electrician", "electrician")],
}

DEPARTMENTS = {
    "lv": ["Grāmatvedība", "Noliktava", "Pārdošana", "Loģistika", "IT nodaļa", "Administrācija", "Ražošana"],
    "lt": ["Buhalterija", "Sandėlis", "Pardavimai", "Logistika", "IT skyrius", "Administracija", "Gamyba"],
    "ro": ["Contabilitate", "Depozit", "Vânzări", "Logistică", "IT", "Administrativ", "Producție"],
    "sk": ["Účtovníctvo", "Sklad", "Obchod", "Logistika", "IT oddelenie", "Administratíva", "Výroba"],
    "ru": ["Бухгалтерия", "Склад", "Отдел продаж", "Логистика", "ИТ-отдел", "Администрация", "Производство"],
    "en": ["Accounting", "Warehouse", "Sales", "Logistics", "IT", "Administration", "Production"],
}

# private mail providers by nationality
MAIL_HOSTS = {
    "lv": ["inbox.lv", "gmail.com", "yahoo.com", "one.lv", "outlook.com"],
    "lt": ["gmail.com", "one.lt", "yahoo.com", "inbox.lt", "outlook.com"],
    "ro": ["yahoo.com", "gmail.com", "yahoo.ro", "outlook.com"],
    "sk": ["azet.sk", "gmail.com", "centrum.sk", "zoznam.sk"],
    "cz": ["seznam.cz", "gmail.com", "email.cz", "centrum.cz"],
    "ee": ["gmail.com", "hot.ee", "mail.ee"],
    "pl": ["gmail.com", "wp.pl", "onet.pl", "o2.pl"],
    "ru": ["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "list.ru", "rambler.ru"],
}

_TRANSLIT_RU = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                        ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
                         "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))


def ascii_fold(s: str) -> str:
    out = []
    for ch in s:
        low = ch.lower()
        if low in _TRANSLIT_RU:
            t = _TRANSLIT_RU[low]
            out.append(t.capitalize() if ch.isupper() else t)
        else:
            out.append(ch)
    s = "".join(out).replace("ł", "l").replace("Ł", "L")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def mobile(rng: random.Random, country: str, spaced: bool = True) -> str:
    d = lambda n: "".join(str(rng.randint(0, 9)) for _ in range(n))  # noqa: E731
    if country == "lv":
        n = "2" + d(7)
        return rng.choice([f"+371 {n[:2]} {n[2:5]} {n[5:]}", f"+371 {n}", f"{n[:4]} {n[4:]}", n])
    if country == "lt":
        n = "6" + d(7)
        return rng.choice([f"+370 {n[:3]} {n[3:]}", f"+370{n}", f"8 {n[:3]} {n[3:]}", f"8{n}"])
    if country == "ro":
        n = "7" + rng.choice("2345") + d(7)
        return rng.choice([f"+40 {n[:3]} {n[3:6]} {n[6:]}", f"0{n[:3]} {n[3:6]} {n[6:]}", f"0{n}", f"+40{n}"])
    if country in ("sk", "cz"):
        n = ("9" + rng.choice("01458") + d(7)) if country == "sk" else (rng.choice("67") + rng.choice("0237") + d(7))
        cc = "421" if country == "sk" else "420"
        return rng.choice([f"+{cc} {n[:3]} {n[3:6]} {n[6:]}", f"0{n[:3]} {n[3:6]} {n[6:]}" if country == "sk"
                           else f"{n[:3]} {n[3:6]} {n[6:]}", f"+{cc}{n}"])
    if country == "ee":
        n = "5" + d(7)
        return rng.choice([f"+372 {n[:4]} {n[4:]}", f"+372 {n}"])
    if country == "pl":
        n = rng.choice("5678") + d(8)
        return rng.choice([f"+48 {n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]}-{n[3:6]}-{n[6:]}"])
    if country == "ru":
        n = "9" + d(9)
        return rng.choice([f"+7 {n[:3]} {n[3:6]}-{n[6:8]}-{n[8:]}", f"8 ({n[:3]}) {n[3:6]}-{n[6:8]}-{n[8:]}",
                           f"+7{n}", f"8-{n[:3]}-{n[3:6]}-{n[6:8]}-{n[8:]}"])
    raise KeyError(country)


NATION_COUNTRY_CODE = {"lv": "LV", "lt": "LT", "ro": "RO", "sk": "SK", "cz": "SK", "ee": "EE", "pl": "LT", "ru": None}
KIND_NATION = {"lv-personas-kods": "lv", "lt-asmens-kodas": "lt", "ro-cnp": "ro", "sk-rodne-cislo": "sk",
               "cz-rodne-cislo": "cz", "ee-isikukood": "ee", "pl-pesel": "pl", "ru-snils": "ru", "ru-inn": "ru"}
NATION_KIND = {"lv": "lv-personas-kods", "lt": "lt-asmens-kodas", "ro": "ro-cnp", "sk": "sk-rodne-cislo",
               "cz": "cz-rodne-cislo", "ee": "ee-isikukood", "pl": "pl-pesel", "ru": "ru-snils"}


@dataclass
class Person:
    nation: str
    sex: str
    first: str
    last: str
    patronymic: str = ""
    born: datetime.date = datetime.date(1980, 1, 1)
    codes: dict = field(default_factory=dict)  # kind -> compact code
    position: str = ""
    department: str = ""
    gross: float = 0.0
    iban: str = ""
    phone: str = ""
    email: str = ""
    start: datetime.date = datetime.date(2020, 1, 1)

    @property
    def full(self) -> str:
        if self.nation == "ru":
            return f"{self.last} {self.first} {self.patronymic}"
        return f"{self.first} {self.last}"

    @property
    def short(self) -> str:
        if self.nation == "ru":
            return f"{self.last} {self.first[0]}. {self.patronymic[0]}."
        return f"{self.first[0]}. {self.last}"

    @property
    def ascii_full(self) -> str:
        return ascii_fold(self.full)

    def net(self) -> float:
        return round(self.gross * 0.72, 2)

    def tax(self) -> float:
        return round(self.gross * 0.2, 2)


def make_person(rng: random.Random, nation: str, lang: str, kinds: tuple[str, ...] = (),
                sex: str | None = None, used: set | None = None) -> Person:
    pool = NAMES[nation]
    sex = sex or rng.choice("MF")
    for _ in range(50):
        if nation == "ru":
            first = rng.choice([n for n, _ in pool[sex]])
            father = rng.choice(pool["P"])
            patr = (_PATRONYMIC_M if sex == "M" else _PATRONYMIC_F)[father]
            surname = rng.choice(pool["S"])
            last = surname[0] if sex == "M" else surname[1]
        else:
            first = rng.choice(pool[sex])
            patr = ""
            surname = rng.choice(pool["S"])
            last = surname[0] if sex == "M" else (surname[1] if len(surname) == 2 or rng.random() < 0.6 else surname[2])
        if used is None or (first, last) not in used:
            break
    if used is not None:
        used.add((first, last))
    born = codes.birth_date(rng, 1958, 2004)
    p = Person(nation=nation, sex=sex, first=first, last=last, patronymic=patr, born=born)
    for kind in kinds:
        if kind == "lv-personas-kods" and rng.random() < 0.2:
            p.codes[kind] = codes.lv_personas_kods(rng, new=True)
        else:
            p.codes[kind] = codes.personal_code(kind, rng, sex, born)
    poslang = lang if lang in POSITIONS else "en"
    pos = rng.choice(POSITIONS[poslang])
    p.position = pos[0] if sex == "M" else pos[1]
    p.department = rng.choice(DEPARTMENTS[poslang])
    base = {"lv": 1100, "lt": 1400, "ro": 5200, "sk": 1250, "ru": 65000, "en": 1300}[lang if lang != "en" else "en"]
    p.gross = round(base * rng.uniform(0.7, 2.6), 0) + rng.choice([0, 0, 0.5, 0.25, 0.8])
    cc = {"lv": "LV", "lt": "LT", "ro": "RO", "sk": "SK", "cz": "SK", "ee": "EE", "pl": "LT"}.get(nation)
    p.iban = codes.iban(rng, cc) if cc else ""
    p.phone = mobile(rng, nation)
    host = rng.choice(MAIL_HOSTS[nation])
    a, b = ascii_fold(first).lower(), ascii_fold(last).lower()
    p.email = rng.choice([f"{a}.{b}", f"{a}{b}{rng.randint(70, 99)}", f"{a[0]}{b}", f"{a}_{b}", f"{b}.{a}"]) + "@" + host
    p.start = datetime.date(rng.randint(2008, 2026), rng.randint(1, 12), rng.randint(1, 28))
    if p.start.year == 2026 and p.start.month > 10:
        p.start = p.start.replace(month=rng.randint(1, 10))
    return p
