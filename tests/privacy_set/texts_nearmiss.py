"""Text banks of the near-miss additions (tests/privacy_set/nearmiss.py), one dict per language.

Real-world false discards came from invoices and orders whose company address is a street named after a person,
beside the company's IBAN; bank names read as people; registry lists with officers; public contact pages;
invoices with a named contact person; several people's signatures. These banks hold what such mail says.
Streets and banks of the English mail follow the client's country (STREETS / BANKS by country language).
"""

# Streets named after people (with a house number {n}), as written in addresses of each country.
STREETS = {
    "lv": ["Krišjāņa Valdemāra iela {n}, Rīga, LV-1010", "K. Valdemāra iela {n}, Rīga", "Kārļa Ulmaņa gatve {n}, Rīga",
           "Aleksandra Čaka iela {n}, Rīga, LV-1011", "Elizabetes iela {n}, Rīga", "Ģertrūdes iela {n}, Rīga",
           "Augusta Deglava iela {n}, Rīga", "Marijas iela {n}, Rīga", "Gustava Zemgala gatve {n}, Rīga",
           "Kr. Barona iela {n}, Rīga", "Jāņa Čakstes bulvāris {n}, Jelgava", "Antonijas iela {n}, Rīga"],
    "lt": ["Gedimino pr. {n}, Vilnius", "J. Basanavičiaus g. {n}, Vilnius", "Vinco Kudirkos g. {n}, Vilnius",
           "Maironio g. {n}, Kaunas", "Kęstučio g. {n}, Kaunas", "A. Goštauto g. {n}, Vilnius",
           "Jono Jablonskio g. {n}, Vilnius", "K. Donelaičio g. {n}, Kaunas", "Vytauto pr. {n}, Kaunas",
           "Simono Daukanto g. {n}, Klaipėda"],
    "ro": ["Str. Mihai Eminescu nr. {n}, Cluj-Napoca", "Strada Ion Creangă nr. {n}, Iași",
           "Bd. Nicolae Bălcescu nr. {n}, București", "Str. Avram Iancu nr. {n}, Sibiu",
           "Calea Mihai Viteazu nr. {n}, Cluj-Napoca", "Str. George Coșbuc nr. {n}, Brașov",
           "Bd. Ștefan cel Mare nr. {n}, Suceava", "Str. Lucian Blaga nr. {n}, Alba Iulia",
           "Str. Tudor Vladimirescu nr. {n}, Timișoara", "Piața Avram Iancu nr. {n}, Cluj-Napoca"],
    "sk": ["Štúrova {n}, 811 02 Bratislava", "Ulica Ľudovíta Štúra {n}, Žilina", "Nám. M. R. Štefánika {n}, Žilina",
           "Hviezdoslavovo nám. {n}, Bratislava", "Ulica Janka Kráľa {n}, Martin", "Kollárova {n}, Trnava",
           "Nábrežie Ivana Krasku {n}, Piešťany", "Ulica Andreja Hlinku {n}, Ružomberok",
           "Moyzesova {n}, Košice", "Ulica Jána Bottu {n}, Trnava"],
    "ru": ["ул. Льва Толстого, д. {n}, Москва", "ул. Максима Горького, д. {n}, Нижний Новгород",
           "ул. Маршала Жукова, д. {n}, Москва", "пр-т Андрея Сахарова, д. {n}, Москва",
           "ул. Карла Маркса, д. {n}, Екатеринбург", "наб. Адмирала Макарова, д. {n}, Санкт-Петербург",
           "ул. Николая Островского, д. {n}, Казань", "ул. Сергея Есенина, д. {n}, Рязань",
           "ул. Александра Невского, д. {n}, Калининград"],
}

# (name as written, BIC, the bank code inside the IBAN); Russian banks have no IBAN: (name, БИК, к/с).
BANKS = {
    "lv": [("Swedbank", "HABALV22", "HABA"), ("Citadele", "PARXLV22", "PARX"), ("Luminor", "RIKOLV2X", "RIKO"),
           ("SEB banka", "UNLALV2X", "UNLA")],
    "lt": [("Swedbank", "HABALT22", "73000"), ("Luminor", "AGBLLT2X", "40100"), ("SEB bankas", "CBVILT2X", "70440"),
           ("Šiaulių bankas", "CBSBLT26", "71800"), ("Citadele", "INDULT2X", "72900")],
    "ro": [("Banca Transilvania", "BTRLRO22", "BTRL"), ("BCR", "RNCBROBU", "RNCB"), ("BRD", "BRDEROBU", "BRDE"),
           ("ING Bank", "INGBROBU", "INGB"), ("Raiffeisen Bank", "RZBRROBU", "RZBR"), ("UniCredit Bank", "BACXROBU", "BACX")],
    "sk": [("Tatra banka", "TATRSKBX", "1100"), ("Slovenská sporiteľňa", "GIBASKBX", "0900"),
           ("VÚB banka", "SUBASKBX", "0200"), ("ČSOB", "CEKOSKBX", "7500"), ("Prima banka", "KOMASK2X", "5600")],
    "ru": [("ПАО Сбербанк", "044525225", "30101810400000000225"), ("Банк ВТБ (ПАО)", "044525187", "30101810700000000187"),
           ("АО «Альфа-Банк»", "044525593", "30101810200000000593"), ("АО «Т-Банк»", "044525974", "30101810145250000974"),
           ("АО «Райффайзенбанк»", "044525700", "30101810200000000700")],
}
# How the banks are called in running text (the Russian ones in the genitive: "выписки из ...").
BANK_SHORT = {"ru": ["Сбербанка", "ВТБ", "Альфа-Банка", "Т-Банка", "Райффайзенбанка"]}

# Office telephones ({a} {c}: three digits, {d}: two, {b} {e}: four), of valid length in each numbering plan.
LANDLINE = {"lv": "+371 67 {a} {c}", "lt": "+370 5 2{d} {b}", "ro": "+40 264 {a} {c}", "sk": "+421 2 {b} {e}",
            "ru": "+7 (495) {a}-{d}-{f}"}

ROLES = {  # role -> (man, woman)
    "lv": {"chair": ("valdes priekšsēdētājs", "valdes priekšsēdētāja"), "board": ("valdes loceklis", "valdes locekle"),
           "chief": ("galvenais grāmatvedis", "galvenā grāmatvede"), "sales": ("pārdošanas vadītājs", "pārdošanas vadītāja"),
           "acc": ("grāmatvedis", "grāmatvede")},
    "lt": {"chair": ("valdybos pirmininkas", "valdybos pirmininkė"), "board": ("direktorius", "direktorė"),
           "chief": ("vyr. buhalteris", "vyr. buhalterė"), "sales": ("pardavimų vadybininkas", "pardavimų vadybininkė"),
           "acc": ("buhalteris", "buhalterė")},
    "ro": {"chair": ("director general", "director general"), "board": ("administrator", "administrator"),
           "chief": ("contabil-șef", "contabil-șef"), "sales": ("manager vânzări", "manager vânzări"),
           "acc": ("contabil", "contabilă")},
    "sk": {"chair": ("predseda predstavenstva", "predsedníčka predstavenstva"), "board": ("konateľ", "konateľka"),
           "chief": ("hlavný účtovník", "hlavná účtovníčka"), "sales": ("obchodný manažér", "obchodná manažérka"),
           "acc": ("účtovník", "účtovníčka")},
    "ru": {"chair": ("генеральный директор", "генеральный директор"), "board": ("директор", "директор"),
           "chief": ("главный бухгалтер", "главный бухгалтер"), "sales": ("менеджер по продажам", "менеджер по продажам"),
           "acc": ("бухгалтер", "бухгалтер")},
    "en": {"chair": ("chairman of the board", "chair of the board"), "board": ("board member", "board member"),
           "chief": ("chief accountant", "chief accountant"), "sales": ("sales manager", "sales manager"),
           "acc": ("accountant", "accountant")},
}

LV = dict(
    lbl=dict(supplier="Piegādātājs", buyer="Pircējs", address="Juridiskā adrese", reg="Reģ. Nr.", vat="PVN Nr.",
             bank="Banka", account="Konts", bic="BIC", contact="Kontaktpersona", phone="tālr.", mob="mob.",
             email="e-pasts", invoice="Rēķins Nr.", order="Pasūtījums Nr.", due="Apmaksas termiņš", total="Kopā apmaksai",
             office="Birojs", title="kontakti", sign_for=("Piegādātāja vārdā", "Pircēja vārdā"), act="Salīdzināšanas akts",
             act_text="Savstarpējo norēķinu saldo uz {date} ir {amount} EUR par labu piegādātājam.",
             officer_headers=["Nosaukums", "Reģ. Nr.", "Juridiskā adrese", "Valdes loceklis", "Reģistrēts"],
             contact_headers=["Nodaļa", "Kontaktpersona", "Tālrunis", "E-pasts"],
             depts=["Valde", "Grāmatvedība", "Pārdošanas nodaļa"]),
    street_iban=[("Piegādātāja rekvizīti netiek nolasīti", "Importējot e-rēķinu, programma neatpazīst piegādātāja "
                  "rekvizītus — lūdzu, pārbaudiet, vai adrese un konts tiek nolasīti pareizi:"),
                 ("Pasūtījums {order}: nepareiza juridiskā adrese", "Pasūtījuma izdrukā piegādātāja juridiskā adrese "
                  "tiek nogriezta. Dati kartītē ir šādi:")],
    bank_names=[("Bankas izrakstu imports no {bank1}", "Importējot {bank1} un {bank2} izrakstus, maksājumi netiek "
                 "sasaistīti ar rēķiniem, bet {bank3} izrakstos viss strādā. Mūsu konti:"),
                ("{bank1} atgriež maksājuma uzdevumu", "Eksportējot maksājumu uzdevumus, {bank1} atgriež kļūdu "
                 "\"Invalid creditor agent\". Uz {bank2} kontiem maksājumi aiziet bez problēmām. Piemērs:")],
    bank_line="Saņēmējs: {company}, konts {iban}, {bank} ({bic}), rēķins {inv}.",
    officers=[("Kontrahentu pārbaude: valdes locekļi netiek importēti", "Importējām kontrahentu datus no Uzņēmumu "
               "reģistra izraksta (publiski pieejami dati), bet lauks \"Paraksttiesīgā persona\" paliek tukšs:"),
              ("Paraksttiesīgās personas kontrahentu kartītēs", "Kontrahentu kartītēs gribam redzēt paraksttiesīgās "
               "personas no Uzņēmumu reģistra. Pēc publiskā izraksta tās ir šādas:")],
    officer_line="{company} (reģ. Nr. {reg}), {role} {name}",
    officer_line2="{name} — {role}, {company}, reģ. Nr. {reg}",
    contact_page=[("Kontaktu imports no mājaslapas", "Gribam kontrahenta kartītē ielikt kontaktus no viņu mājaslapas "
                   "sadaļas \"Kontakti\", bet importā pazūd tālruņi. Lūk, kā tie publicēti:"),
                  ("Kontrahenta kontaktpersonas", "Pievienoju piegādātāja publisko kontaktu lapu — vai varam no tās "
                   "aizpildīt kontaktpersonas automātiski?")],
    invoice_contact=[("Rēķinā netiek drukāta kontaktpersona", "Rēķina veidnē \"{tpl}\" netiek izdrukāta pircēja "
                      "kontaktpersona, lai gan kartītē tā ir ievadīta. Rēķina galva izskatās šādi:"),
                     ("Pasūtījuma izdrukā trūkst kontaktpersonas tālruņa", "Pasūtījuma formā kontaktpersonas tālrunis "
                      "pārklājas ar kontu. Dati ir šādi:")],
    multi_sig=[("PVN summa piegādātāja rēķinā {inv}", "Pārsūtu piegādātāja atbildi par rēķinu {inv} — lūdzu, "
                "palīdziet saprast, kāpēc nesakrīt PVN summa."),
               ("Salīdzināšanas akts netiek importēts", "Piegādātājs atsūtīja parakstītu salīdzināšanas aktu ({file}), "
                "bet programma to neimportē. Kur ir kļūda?")],
    partner_reply="Labdien!\nRēķins {inv} ir izrakstīts pareizi: PVN 21 % no {amount} EUR. Ja nepieciešams, varam "
                  "izrakstīt kredītrēķinu.",
)

LT = dict(
    lbl=dict(supplier="Tiekėjas", buyer="Pirkėjas", address="Buveinės adresas", reg="Įm. kodas", vat="PVM kodas",
             bank="Bankas", account="A. s.", bic="SWIFT", contact="Kontaktinis asmuo", phone="tel.", mob="mob.",
             email="el. p.", invoice="PVM sąskaita faktūra Nr.", order="Užsakymas Nr.", due="Apmokėti iki",
             total="Iš viso mokėti", office="Biuras", title="kontaktai", sign_for=("Tiekėjo vardu", "Pirkėjo vardu"), act="Tarpusavio "
             "atsiskaitymų suderinimo aktas", act_text="Tarpusavio atsiskaitymų likutis {date} yra {amount} EUR tiekėjo "
             "naudai.", officer_headers=["Pavadinimas", "Įm. kodas", "Buveinės adresas", "Vadovas", "Įregistruota"],
             contact_headers=["Skyrius", "Kontaktinis asmuo", "Telefonas", "El. paštas"],
             depts=["Vadovybė", "Buhalterija", "Pardavimų skyrius"]),
    street_iban=[("Tiekėjo rekvizitai nenuskaitomi", "Importuojant e. sąskaitą, programa neatpažįsta tiekėjo "
                  "rekvizitų — patikrinkite, ar adresas ir sąskaita nuskaitomi teisingai:"),
                 ("Užsakymas {order}: neteisingas adresas", "Užsakymo spaudinyje nukerpamas tiekėjo adresas. "
                  "Kortelėje duomenys tokie:")],
    bank_names=[("Banko išrašų importas iš {bank1}", "Importuojant {bank1} ir {bank2} išrašus, mokėjimai "
                 "nesusiejami su sąskaitomis, o {bank3} išrašuose viskas veikia. Mūsų sąskaitos:"),
                ("{bank1} grąžina mokėjimo nurodymą", "Eksportuojant mokėjimo nurodymus, {bank1} grąžina klaidą "
                 "\"Invalid creditor agent\". Į {bank2} sąskaitas mokėjimai išeina be problemų. Pavyzdys:")],
    bank_line="Gavėjas: {company}, a. s. {iban}, {bank} ({bic}), sąskaita {inv}.",
    officers=[("Kontrahentų tikrinimas: vadovai neimportuojami", "Importavome kontrahentų duomenis iš Registrų "
               "centro išrašo (vieši duomenys), bet laukas „Vadovas“ lieka tuščias:"),
              ("Vadovai kontrahentų kortelėse", "Kontrahentų kortelėse norime matyti vadovus iš Juridinių asmenų "
               "registro. Pagal viešą išrašą jie tokie:")],
    officer_line="{company} (įm. kodas {reg}), {role} {name}",
    officer_line2="{name} — {role}, {company}, įm. kodas {reg}",
    contact_page=[("Kontaktų importas iš svetainės", "Norime į kontrahento kortelę įkelti kontaktus iš jų svetainės "
                   "skilties „Kontaktai“, bet importuojant dingsta telefonai. Štai kaip jie paskelbti:"),
                  ("Kontrahento kontaktiniai asmenys", "Prisegu tiekėjo viešą kontaktų puslapį — ar galime iš jo "
                   "automatiškai užpildyti kontaktinius asmenis?")],
    invoice_contact=[("Sąskaitoje nespausdinamas kontaktinis asmuo", "Sąskaitos šablone „{tpl}“ nespausdinamas "
                      "pirkėjo kontaktinis asmuo, nors kortelėje jis įvestas. Sąskaitos viršus atrodo taip:"),
                     ("Užsakymo spaudinyje trūksta kontaktinio asmens telefono", "Užsakymo formoje kontaktinio asmens "
                      "telefonas užlipa ant sąskaitos numerio. Duomenys tokie:")],
    multi_sig=[("PVM suma tiekėjo sąskaitoje {inv}", "Persiunčiu tiekėjo atsakymą dėl sąskaitos {inv} — padėkite "
                "suprasti, kodėl nesutampa PVM suma."),
               ("Suderinimo aktas neimportuojamas", "Tiekėjas atsiuntė pasirašytą suderinimo aktą ({file}), bet "
                "programa jo neimportuoja. Kur klaida?")],
    partner_reply="Laba diena,\nsąskaita {inv} išrašyta teisingai: PVM 21 % nuo {amount} EUR. Jei reikia, galime "
                  "išrašyti kreditinę sąskaitą.",
)

RO = dict(
    lbl=dict(supplier="Furnizor", buyer="Cumpărător", address="Sediul social", reg="CUI", vat="Cod TVA",
             bank="Banca", account="IBAN", bic="SWIFT", contact="Persoană de contact", phone="tel.", mob="mobil",
             email="e-mail", invoice="Factura nr.", order="Comanda nr.", due="Scadența", total="Total de plată",
             office="Sediu", title="contact", sign_for=("Pentru furnizor", "Pentru cumpărător"), act="Confirmare de sold",
             act_text="Soldul reciproc la data de {date} este de {amount} lei în favoarea furnizorului.",
             officer_headers=["Denumire", "CUI", "Sediul social", "Administrator", "Înregistrată"],
             contact_headers=["Departament", "Persoană de contact", "Telefon", "E-mail"],
             depts=["Conducere", "Contabilitate", "Vânzări"]),
    street_iban=[("Datele furnizorului nu sunt preluate", "La importul facturii electronice programul nu recunoaște "
                  "datele furnizorului — vă rog verificați dacă adresa și contul sunt citite corect:"),
                 ("Comanda {order}: adresa sediului greșită", "Pe comanda tipărită adresa sediului furnizorului este "
                  "trunchiată. În fișa partenerului datele sunt:")],
    bank_names=[("Importul extraselor de la {bank1}", "La importul extraselor de la {bank1} și {bank2} plățile nu se "
                 "leagă de facturi, iar la {bank3} totul funcționează. Conturile noastre:"),
                ("{bank1} respinge ordinul de plată", "La exportul ordinelor de plată, {bank1} întoarce eroarea "
                 "\"Invalid creditor agent\". Către conturile de la {bank2} plățile pleacă fără probleme. Exemplu:")],
    bank_line="Beneficiar: {company}, cont {iban}, {bank} ({bic}), factura {inv}.",
    officers=[("Verificare parteneri: administratorii nu se importă", "Am importat datele partenerilor din extrasul "
               "ONRC (date publice), dar câmpul „Administrator” rămâne gol:"),
              ("Reprezentanții legali în fișele partenerilor", "În fișele partenerilor vrem să apară reprezentanții "
               "legali din Registrul Comerțului. Conform extrasului public, aceștia sunt:")],
    officer_line="{company} (CUI {reg}), {role} {name}",
    officer_line2="{name} — {role}, {company}, CUI {reg}",
    contact_page=[("Import contacte de pe site", "Vrem să punem în fișa partenerului contactele din pagina lor "
                   "„Contact”, dar la import se pierd telefoanele. Iată cum sunt publicate:"),
                  ("Persoanele de contact ale partenerului", "Atașez pagina publică de contact a furnizorului — putem "
                   "completa automat persoanele de contact din ea?")],
    invoice_contact=[("Persoana de contact nu apare pe factură", "Pe șablonul „{tpl}” nu se tipărește persoana de "
                      "contact a clientului, deși este completată în fișă. Antetul facturii arată așa:"),
                     ("Pe comandă lipsește telefonul persoanei de contact", "Pe formularul comenzii telefonul "
                      "persoanei de contact se suprapune cu contul. Datele sunt:")],
    multi_sig=[("TVA pe factura furnizorului {inv}", "Vă trimit răspunsul furnizorului despre factura {inv} — vă rog "
                "să ne ajutați să înțelegem de ce nu se potrivește TVA-ul."),
               ("Confirmarea de sold nu se importă", "Furnizorul a trimis confirmarea de sold semnată ({file}), dar "
                "programul nu o importă. Unde este greșeala?")],
    partner_reply="Bună ziua,\nfactura {inv} este emisă corect: TVA 21% din {amount} lei. Dacă este nevoie, putem "
                  "emite o factură de stornare.",
)

SK = dict(
    lbl=dict(supplier="Dodávateľ", buyer="Odberateľ", address="Sídlo", reg="IČO", vat="IČ DPH", bank="Banka",
             account="IBAN", bic="SWIFT", contact="Kontaktná osoba", phone="tel.", mob="mobil", email="e-mail",
             invoice="Faktúra č.", order="Objednávka č.", due="Splatnosť", total="Spolu na úhradu", office="Sídlo",
             title="kontakty", sign_for=("Za dodávateľa", "Za odberateľa"), act="Potvrdenie salda",
             act_text="Vzájomné saldo k {date} je {amount} EUR v prospech dodávateľa.",
             officer_headers=["Obchodné meno", "IČO", "Sídlo", "Konateľ", "Dátum zápisu"],
             contact_headers=["Oddelenie", "Kontaktná osoba", "Telefón", "E-mail"],
             depts=["Vedenie", "Účtovníctvo", "Obchodné oddelenie"]),
    street_iban=[("Údaje dodávateľa sa nenačítajú", "Pri importe e-faktúry program nerozpozná údaje dodávateľa — "
                  "prosím, skontrolujte, či sa adresa a účet načítajú správne:"),
                 ("Objednávka {order}: nesprávna adresa sídla", "Na vytlačenej objednávke sa adresa sídla dodávateľa "
                  "oreže. V karte partnera sú údaje:")],
    bank_names=[("Import výpisov z {bank1}", "Pri importe výpisov z {bank1} a {bank2} sa platby nespárujú s "
                 "faktúrami, pri {bank3} všetko funguje. Naše účty:"),
                ("{bank1} vracia platobný príkaz", "Pri exporte platobných príkazov {bank1} vracia chybu "
                 "\"Invalid creditor agent\". Na účty v {bank2} platby odchádzajú bez problémov. Príklad:")],
    bank_line="Príjemca: {company}, účet {iban}, {bank} ({bic}), faktúra {inv}.",
    officers=[("Kontrola partnerov: konatelia sa neimportujú", "Importovali sme údaje partnerov z výpisu z "
               "obchodného registra (verejné údaje), ale pole „Štatutár“ zostáva prázdne:"),
              ("Štatutári v kartách partnerov", "V kartách partnerov chceme vidieť štatutárov z obchodného registra. "
               "Podľa verejného výpisu sú to:")],
    officer_line="{company} (IČO {reg}), {role} {name}",
    officer_line2="{name} — {role}, {company}, IČO {reg}",
    contact_page=[("Import kontaktov z webu", "Chceme do karty partnera vložiť kontakty z ich webovej stránky "
                   "„Kontakty“, ale pri importe sa stratia telefóny. Takto sú zverejnené:"),
                  ("Kontaktné osoby partnera", "Prikladám verejnú stránku kontaktov dodávateľa — dajú sa z nej "
                   "automaticky vyplniť kontaktné osoby?")],
    invoice_contact=[("Na faktúre sa netlačí kontaktná osoba", "Na šablóne „{tpl}“ sa netlačí kontaktná osoba "
                      "odberateľa, hoci je v karte zadaná. Hlavička faktúry vyzerá takto:"),
                     ("Na objednávke chýba telefón kontaktnej osoby", "Na formulári objednávky sa telefón kontaktnej "
                      "osoby prekrýva s účtom. Údaje sú:")],
    multi_sig=[("DPH na faktúre dodávateľa {inv}", "Preposielam odpoveď dodávateľa k faktúre {inv} — pomôžte nám, "
                "prosím, pochopiť, prečo nesedí DPH."),
               ("Potvrdenie salda sa neimportuje", "Dodávateľ poslal podpísané potvrdenie salda ({file}), ale program "
                "ho neimportuje. Kde je chyba?")],
    partner_reply="Dobrý deň,\nfaktúra {inv} je vystavená správne: DPH 23 % z {amount} EUR. Ak treba, môžeme "
                  "vystaviť dobropis.",
)

RU = dict(
    lbl=dict(supplier="Поставщик", buyer="Покупатель", address="Юридический адрес", reg="ИНН", vat="КПП", bank="Банк",
             account="Р/с", bic="БИК", contact="Контактное лицо", phone="тел.", mob="моб.", email="e-mail",
             invoice="Счёт №", order="Заказ №", due="Оплатить до", total="Итого к оплате", office="Офис",
             title="контакты", sign_for=("От поставщика", "От покупателя"), act="Акт сверки взаимных расчётов",
             act_text="Сальдо взаимных расчётов на {date} составляет {amount} руб. в пользу поставщика.",
             officer_headers=["Наименование", "ИНН", "Адрес", "Генеральный директор", "Дата регистрации"],
             contact_headers=["Отдел", "Контактное лицо", "Телефон", "E-mail"],
             depts=["Руководство", "Бухгалтерия", "Отдел продаж"]),
    street_iban=[("Не подтягиваются реквизиты поставщика", "При загрузке счёта программа не распознаёт реквизиты "
                  "поставщика — проверьте, пожалуйста, правильно ли читаются адрес и расчётный счёт:"),
                 ("Заказ {order}: неверный юридический адрес", "В печатной форме заказа обрезается юридический адрес "
                  "поставщика. В карточке контрагента указано:")],
    bank_names=[("Загрузка выписок из {bank1}", "При загрузке выписок из {bank1} и {bank2} платежи не связываются со "
                 "счетами, а с выписками {bank3} всё работает. Наши счета:"),
                ("{bank1} возвращает платёжное поручение", "При выгрузке платёжных поручений в {bank1} приходит ошибка "
                 "«Неверный БИК получателя». В {bank2} платежи уходят без проблем. Пример:")],
    bank_line="Получатель: {company}, р/с {iban} в {bank}, БИК {bic}, счёт {inv}.",
    officers=[("Проверка контрагентов: не загружается руководитель", "Загрузили данные контрагентов из выписки ЕГРЮЛ "
               "(открытые данные), но поле «Руководитель» остаётся пустым:"),
              ("Руководители в карточках контрагентов", "В карточках контрагентов хотим видеть руководителей из ЕГРЮЛ. "
               "По открытой выписке это:")],
    officer_line="{company} (ИНН {reg}), {role} {name}",
    officer_line2="{name} — {role}, {company}, ИНН {reg}",
    contact_page=[("Импорт контактов с сайта", "Хотим занести в карточку контрагента контакты с их сайта (раздел "
                   "«Контакты»), но при импорте пропадают телефоны. Вот как они опубликованы:"),
                  ("Контактные лица контрагента", "Прикладываю публичную страницу контактов поставщика — можно ли "
                   "заполнить контактные лица из неё автоматически?")],
    invoice_contact=[("В счёте не печатается контактное лицо", "В шаблоне «{tpl}» не печатается контактное лицо "
                      "покупателя, хотя в карточке оно заполнено. Шапка счёта выглядит так:"),
                     ("В заказе нет телефона контактного лица", "В печатной форме заказа телефон контактного лица "
                      "налезает на расчётный счёт. Данные такие:")],
    multi_sig=[("НДС в счёте поставщика {inv}", "Пересылаю ответ поставщика по счёту {inv} — помогите понять, почему "
                "не сходится НДС."),
               ("Акт сверки не загружается", "Поставщик прислал подписанный акт сверки ({file}), но программа его не "
                "загружает. В чём ошибка?")],
    partner_reply="Добрый день!\nСчёт {inv} выставлен верно: НДС 20% от {amount} руб. При необходимости можем выставить "
                  "корректировочный счёт-фактуру.",
)

EN = dict(
    lbl=dict(supplier="Supplier", buyer="Buyer", address="Registered address", reg="Reg. No.", vat="VAT No.",
             bank="Bank", account="IBAN", bic="SWIFT", contact="Contact person", phone="tel.", mob="mobile",
             email="e-mail", invoice="Invoice No.", order="Order No.", due="Due date", total="Total to pay",
             office="Office", title="contacts", sign_for=("For the supplier", "For the buyer"), act="Balance confirmation",
             act_text="The mutual balance as of {date} is {amount} in favour of the supplier.",
             officer_headers=["Company", "Reg. No.", "Registered address", "Director", "Registered"],
             contact_headers=["Department", "Contact person", "Phone", "E-mail"],
             depts=["Management", "Accounting", "Sales"]),
    street_iban=[("Supplier details are not read", "When importing the e-invoice the program does not recognise the "
                  "supplier's details — please check whether the address and account are read correctly:"),
                 ("Order {order}: wrong registered address", "On the printed order the supplier's registered address "
                  "is cut off. The partner card says:")],
    bank_names=[("Statement import from {bank1}", "When importing statements from {bank1} and {bank2}, payments are "
                 "not matched to invoices, while {bank3} statements work fine. Our accounts:"),
                ("{bank1} rejects the payment order", "When exporting payment orders, {bank1} returns the error "
                 "\"Invalid creditor agent\". Payments to {bank2} accounts go through. Example:")],
    bank_line="Beneficiary: {company}, account {iban}, {bank} ({bic}), invoice {inv}.",
    officers=[("Counterparty check: directors are not imported", "We imported counterparty data from the company "
               "register extract (public data), but the field \"Authorised person\" stays empty:"),
              ("Authorised persons on partner cards", "We want partner cards to show the authorised persons from the "
               "company register. According to the public extract they are:")],
    officer_line="{company} (reg. no. {reg}), {role} {name}",
    officer_line2="{name} — {role}, {company}, reg. no. {reg}",
    contact_page=[("Importing contacts from a website", "We want to put the contacts from the partner's website "
                   "(\"Contacts\" page) on the partner card, but the phone numbers are lost on import. This is how "
                   "they are published:"),
                  ("Partner's contact persons", "I attach the supplier's public contact page — can we fill in the "
                   "contact persons from it automatically?")],
    invoice_contact=[("Contact person not printed on the invoice", "The template \"{tpl}\" does not print the buyer's "
                      "contact person although it is filled in on the card. The invoice header looks like this:"),
                     ("Order form lacks the contact person's phone", "On the order form the contact person's phone "
                      "overlaps the account number. The data:")],
    multi_sig=[("VAT on the supplier's invoice {inv}", "Forwarding the supplier's answer about invoice {inv} — please "
                "help us understand why the VAT does not match."),
               ("Balance confirmation not imported", "The supplier sent a signed balance confirmation ({file}), but "
                "the program does not import it. Where is the error?")],
    partner_reply="Hello,\ninvoice {inv} is correct: VAT 21% of {amount} EUR. If needed we can issue a credit note.",
)

TEXTS = {"lv": LV, "lt": LT, "ro": RO, "sk": SK, "ru": RU, "en": EN}
