"""Latvian and Lithuanian phrase banks (see texts.py for the keys).

Gender alternatives are written [masculine|feminine] and resolved per person. Placeholders in {braces}
are filled by generate.py; unknown ones are never left in the output (a KeyError would stop generation).
"""

LV = dict(
    greet=["Labdien!", "Labdien,", "Sveiki!", "Labdien, Ilze!", "Labdien, atbalsta komanda!", "Sveiki, kolēģi!",
           "Labrīt!", "Labdien, cienījamie kolēģi!"],
    sign_off=["Ar cieņu,", "Ar cieņu", "Paldies!", "Paldies jau iepriekš!", "Ar labiem vēlējumiem,", "Jauku dienu!"],
    months=["janvāri", "februāri", "martu", "aprīli", "maiju", "jūniju", "jūliju", "augustu", "septembri",
            "oktobri", "novembri", "decembri"],
    months_g=["janvāra", "februāra", "marta", "aprīļa", "maija", "jūnija", "jūlija", "augusta", "septembra",
              "oktobra", "novembra", "decembra"],
    phone_label=["Tālr.", "Tel.", "T:", "Tālr."],
    headers=dict(nr="Nr.p.k.", first="Vārds", last="Uzvārds", full="Vārds, uzvārds", position="Amats",
                 dept="Nodaļa", birth="Dzimšanas datums", gross="Bruto alga", net="Neto alga", tax="IIN",
                 iban="Konts (IBAN)", hours="Nostrādātās stundas", days="Atvaļinājuma dienas", start="Pieņemts darbā",
                 phone="Tālrunis", email="E-pasts", amount="Summa", tabnr="Tab. Nr."),
    code_header={"lv-personas-kods": "Personas kods", "ee-isikukood": "Personas kods (EE)",
                 "lt-asmens-kodas": "Personas kods (LT)", "ru-snils": "СНИЛС", "ru-inn": "ИНН"},
    code_label={"lv-personas-kods": ["personas kods", "p.k.", "pers. kods", "personas kods:"],
                "ee-isikukood": ["Igaunijas personas kods", "isikukood", "EE personas kods"],
                "lt-asmens-kodas": ["Lietuvas personas kods", "asmens kodas"]},
    pay_issues=[
        ("Nepareizi aprēķināts IIN {month_g} algā",
         "Aprēķinot {month_g} algas, programma dažiem darbiniekiem ietur IIN pēc paaugstinātās likmes, lai gan "
         "viņu gada ienākumi robežu nepārsniedz. Versija {ver}."),
        ("VSAA ziņojums netiek pieņemts EDS",
         "Iesniedzot ziņojumu par VSAOI par {month}, EDS atgriež kļūdu \"{err_text}\". Kļūda attiecas uz "
         "zemāk minētajiem darbiniekiem."),
        ("Atvaļinājuma naudas aprēķins",
         "Atvaļinājuma nauda sanāk mazāka nekā pērn, lai gan alga nav mainījusies. Lūdzu, pārbaudiet vidējās "
         "izpeļņas aprēķinu (6 mēneši)."),
        ("Slimības lapas netiek piesaistītas darbiniekiem",
         "Ielasot e-veselības darbnespējas lapas par {month}, daļa lapu netiek piesaistītas darbiniekiem — "
         "programma raksta \"Darbinieks nav atrasts\"."),
        ("Algu maksājumu eksports uz banku",
         "Eksportējot {month_g} algu maksājumus uz internetbanku (pain.001), banka failu noraida un norāda uz "
         "kļūdainām rindām."),
        ("Darba laika tabele neveidojas",
         "Atskaite \"Darba laika uzskaites tabele\" par {month} neatveras — programma sastingst. Pievienoju datus, "
         "ar kuriem tas notiek."),
        ("Dubultas ieturējumu rindas pēc atjauninājuma",
         "Pēc atjauninājuma uz {ver} dažiem darbiniekiem algas lapiņā parādās divas vienādas ieturējumu rindas."),
        ("Neapliekamais minimums netiek piemērots",
         "Darbiniekiem, kuru algas nodokļa grāmatiņa ir pie mums, {month_g} aprēķinā neapliekamais minimums "
         "netika piemērots."),
        ("Kļūda, importējot darbiniekus",
         "Importējot darbinieku datus no Excel, programma izmet kļūdu \"{err_text}\" rindās ar šiem darbiniekiem."),
        ("Paziņojums par fiziskām personām izmaksātajām summām",
         "Sagatavojot paziņojumu par fiziskajām personām izmaksātajām summām par {year}. gadu, summas nesakrīt "
         "ar algu kartiņām."),
        ("Virsstundu piemaksa nav aprēķināta",
         "{month_g} aprēķinā virsstundu piemaksa (100%) nav aprēķināta, lai gan tabelē stundas ir ievadītas."),
    ],
    err_text=["Nepareizs personas koda formāts", "Dublēts ieraksts", "Darbinieks nav atrasts",
              "Nav aizpildīts lauks 'Iemaksu objekts'", "XML shēmas validācijas kļūda", "Nederīgs konta numurs"],
    person_lines=[
        "{name} ({cl} {code}) — {month_g} algā nav ieturēts IIN.",
        "Darbinie[ks|ce] {name}, {cl} {code}, nav iekļaut[s|a] VSAA ziņojumā par {month}.",
        "Problēma ir ar šo kartiņu: {name}, {cl} {code}.",
        "Piemēram, {name} ({code}) darbnespējas lapa ir no {d1} līdz {d2}, bet programma rēķina tikai {n} dienas.",
        "Vēl viens gadījums — {name}, {cl} {code}.",
        "Atlaist[ajam darbiniekam|ajai darbiniecei] — {name}, {cl} {code} — nav aprēķināta kompensācija par "
        "neizmantoto atvaļinājumu.",
        "Jaun[ais darbinieks|ā darbiniece] {name} ({cl} {code}) pieņemt[s|a] darbā {d1}, bet algu programma "
        "rēķina no mēneša sākuma.",
        "Kartiņā {name}, {cl} {code}, pēc saglabāšanas pazūd atvieglojums par apgādājamo.",
    ],
    intro_attach=["Pielikumā {file} — eksports no algu moduļa.", "Pievienoju failu {file}.",
                  "Sk. pielikumu ({file}).", "Pielikumā ir {file} ar datiem, kuros redzama kļūda.",
                  "Datus pievienoju failā {file}."],
    intro_table=["Iekopēju tabulu no programmas:", "Dati no algu saraksta:", "Zemāk izvilkums no atskaites:",
                 "Lūk, kā tas izskatās programmā:"],
    intro_fwd=["Pārsūtu personāla daļas vēstuli ar datiem.", "Pārsūtu kolēģes vēstuli, tur ir viss aprakstīts.",
               "Pievienoju sākotnējo vēstuli no mūsu personāla speciālistes."],
    request=["Lūdzu, palīdziet saprast, kur ir kļūda.", "Lūdzu, paskatieties, kas notiek.",
             "Vai varat pārbaudīt un ieteikt risinājumu?", "Būsim pateicīgi par ātru atbildi — algas jāizmaksā {date}.",
             "Lūdzu, sazinieties ar mani, ja vajag papildu informāciju."],
    bd_lines=["Jaun[ais darbinieks|ā darbiniece] {name}, dzim[is|usi] {bd}, neparādās darbinieku sarakstā pēc saglabāšanas.",
              "Darbinie[ks|ce] {name} (dzimšanas datums {bd}) programmā tiek uzskatīt[s|a] par nepilngadīgu, lai gan tā nav.",
              "Pensijas vecuma piemaksa netiek rēķināta: {name}, dzim. {bd}."],
    salary_lines=["{name} — bruto alga {amt} EUR, bet programma aprēķina neto {amt2} EUR.",
                  "Piemēram, {name}: bruto alga {amt} EUR, IIN sanāk {tax} EUR.",
                  "{name} mēnešalga ir {amt} EUR, bet atvaļinājuma naudā vidējā dienas izpeļņa ir tikai {amt3} EUR."],
    phone_lines=["Ja vajag precizēt datus, kontaktpersona — {name}, [viņa|viņas] mobilais {phone}.",
                 "{name} šobrīd ir atvaļinājumā, bet jautājumu gadījumā [viņš|viņa] ir sasniedzam[s|a] pa tālruni {phone}."],
    email_lines=["Algas lapiņu lūdzu nosūtiet arī uz [darbinieka|darbinieces] privāto e-pastu: {name}, {email}.",
                 "[Darbinieks|Darbiniece] {name} lūdz, lai izziņu atsūta uz {email}."],
    list_issues=[("Darbinieku saraksts pa nodaļām", "Drukājot darbinieku sarakstu pa nodaļām, amati sajaucas — "
                  "pie dažiem darbiniekiem redzams iepriekšējais amats."),
                 ("Lietotāju tiesības jaunajiem darbiniekiem", "Zemāk saraksts ar darbiniekiem, kuriem jāpiešķir "
                  "piekļuve avansa norēķinu modulim. Kā to izdarīt masveidā?"),
                 ("Amatu klasifikators", "Pēc profesiju klasifikatora atjaunināšanas darbiniekiem pazuduši amatu kodi.")],
    iban_issues=[("Algu maksājumu fails", "Banka noraida {month_g} algu maksājumu failu. Lūk, saraksts:"),
                 ("Avansa izmaksa neiet cauri", "Avansa maksājumu uzdevumi netiek izveidoti šiem darbiniekiem:")],
    agent_reply=["Labdien! Lūdzu, atsūtiet ekrānuzņēmumu ar kļūdas paziņojumu un programmas versiju.",
                 "Labdien! Vai kļūda parādās visiem lietotājiem vai tikai vienam?",
                 "Labdien! Lūdzu, norādiet, kurā periodā un kurā uzņēmumā tas notiek."],
    reply_header="{date}, {name} rakstīja:",
    fwd_header="-------- Pārsūtīta ziņa --------\nTemats: {subject}\nDatums: {date}\nNo: {sender}\nKam: {to}",
    fwd_subject="Fwd: {subject}",
    reply_subject="RE: {subject}",
    files=dict(pay="algas_{month_file}", list="darbinieki", bank="algu_maksajumi", vac="atvalinajumi",
               sick="darbnespejas_lapas", import_="darbinieku_imports", report="VSAA_zinojums", zip="eksports"),
    doc_titles=dict(pay="Algu aprēķina saraksts", list="Darbinieku saraksts", bank="Algu maksājumu saraksts",
                    vac="Atvaļinājumu grafiks", sick="Darbnespējas lapas", import_="Darbinieku datu imports",
                    report="Ziņojums par VSAOI"),
    sheet="Algas",
    # ------------------------------------------------------------------ clean
    clean=[
        ("Neizdodas grāmatot rēķinu {inv}",
         "Mēģinot grāmatot ienākošo rēķinu {inv} no {supplier} (reģ. Nr. {sup_reg}, PVN Nr. {sup_vat}), programma "
         "izmet kļūdu \"Periods ir slēgts\". Rēķina datums {date}, summa {amount} EUR. Periodu par {month} vēl neesam "
         "slēguši."),
        ("PVN deklarācija neeksportējas",
         "PVN deklarāciju par {month} nevar eksportēt uz EDS — parādās kļūda {err_code}. Žurnālā redzams:\n{logline}"),
        ("Kļūda pēc atjaunināšanas uz {ver}",
         "Pēc atjaunināšanas uz versiju {ver} (build {build}) programma startējot izmet kļūdu. Iepriekšējā versija "
         "{ver_old} strādāja bez problēmām. Kļūdas teksts zemāk.\n\n{trace}"),
        ("Licences aktivizācija",
         "Pārinstalējām serveri, un tagad programma prasa licences atslēgu. Mūsu licence: {lic}, instalācijas ID "
         "{guid}. Lūdzu, atjaunojiet aktivizāciju."),
        ("Bankas izraksta imports — nesakrīt atlikums",
         "Ielasot {bank} izrakstu (camt.053) par {date}, nesakrīt sākuma atlikums. Mūsu konts {iban_co}. "
         "Izrakstā ir {n} darījumi, programmā ielasās tikai {n2}."),
        ("Noliktavas atlikumi nesakrīt ar kontu {acct}",
         "Noliktavā \"{wh}\" atlikumi pēc inventarizācijas {date} nesakrīt ar grāmatvedības kontu {acct}. "
         "Starpība {amount} EUR."),
        ("Rēķins Nr. {inv} — nepareizs PVN",
         "Izrakstot rēķinu {inv} klientam {customer} (PVN Nr. {cust_vat}), programma PVN aprēķina no summas bez "
         "atlaides. Summa bez PVN {amount} EUR, atlaide {pct}%."),
        ("Lēna bilances pārskata veidošana",
         "Bilances pārskats par {year}. gadu veidojas vairāk nekā 10 minūtes. Datubāzes žurnālā redzam šādu "
         "vaicājumu:\n\n{sql}"),
        ("Kontu plāns — konts {acct}",
         "Vai ir iespējams kontu {acct} sadalīt apakškontos {acct}.1 un {acct}.2, nezaudējot vēsturi? Šogad uz šo "
         "kontu grāmatoti {n} ieraksti, pēdējais dokuments {doc}."),
        ("Jautājums par Jūsu rēķinu {vinv}",
         "Saņēmām Jūsu rēķinu {vinv} par {amount} EUR par tehnisko atbalstu {month}. Vai tas ietver arī "
         "konsultācijas par gada pārskatu? Maksājumu veicām no konta {iban_co} uz {vendor_iban}."),
        ("E-rēķini netiek nosūtīti",
         "E-rēķini klientam {customer} netiek nosūtīti, statuss \"Kļūda {err_code}\". Pēdējais veiksmīgais sūtījums "
         "{date} plkst. {time}."),
        ("Pamatlīdzekļa nolietojums aprēķināts divreiz",
         "Pamatlīdzeklim inv. Nr. {asset} nolietojums par {month} aprēķināts divreiz. Dokuments {doc}, datums {date}, "
         "summa {amount} EUR."),
        ("Pavadzīme nedrukājas",
         "Drukājot pavadzīmi {doc}, printeris izdrukā tukšu lapu. Izmantojam veidni \"{tpl}\", versija {ver}."),
        ("Gada slēgšana",
         "Veicot gada slēgšanu par {year}. gadu, programma ziņo:\n{logline}\nVai drīkstam turpināt?"),
        ("Valūtas kursi neielādējas",
         "Kopš {date} neielādējas ECB valūtas kursi. Kļūdas kods {err_code}, pēdējais mēģinājums {time}."),
        ("Izmaiņas nodokļos no {year_next}. gada",
         "Vai programmā jau ir iestrādātas {year_next}. gada izmaiņas — neapliekamais minimums un IIN likmes? "
         "Mums ir versija {ver}. Kad plānots atjauninājums?"),
        ("Pasūtījums {order} nepārvēršas rēķinā",
         "Pasūtījumu {order} no {customer} nevar pārvērst rēķinā — poga ir neaktīva. Pasūtījuma summa {amount} EUR, "
         "datums {date}."),
        ("Avansa norēķins konts {acct}",
         "Avansa norēķinā {doc} summa {amount} EUR tiek grāmatota uz kontu {acct2}, nevis {acct}. Kur to var mainīt?"),
    ],
    attach_clean=["Pielikumā {file}.", "Pievienoju {file}.", "Sk. pielikumā {file}.", "Failu {file} pievienoju."],
    deid=["Personas datus esam aizstājuši (personas kodi → XXXXXX-XXXXX, vārdi → Darbinieks 1, 2, ...), lai "
          "atbilstu jūsu prasībām.", "Datus esam anonimizējuši: vārdu un uzvārdu vietā \"***\"."],
    template_q=[("Importa veidne darbiniekiem", "Kādam jābūt importa faila formātam? Mums ir šādas kolonnas, bet "
                 "imports neiet cauri — vai secība ir pareiza?"),
                ("Algu lapiņas veidne", "Vēlamies mainīt algas lapiņas veidni. Kolonnas, kuras gribam redzēt:")],
    notif=[("EDS: dokuments pieņemts", "noreply@vid.gov.lv", "VID Elektroniskās deklarēšanas sistēma",
            "Dokuments \"PVN deklarācija\" par periodu {month_num}.{year} ir pieņemts.\nDokumenta numurs: {docnum}\n"
            "Iesniegšanas datums: {date} {time}\nNodokļu maksātājs: {client_name}, reģ. Nr. {reg}"),
           ("E-rēķina piegādes kļūda", "noreply@eaddress.example.lv", "e-adrese",
            "Dokuments {inv} netika piegādāts adresātam {customer}.\nKļūdas kods: {err_code}\nLaiks: {date_iso}T{time}\n"
            "Ziņojuma ID: {guid}")],
    company=dict(reg_label="Reģ. Nr.", vat_label="PVN Nr.", addr=["Krišjāņa Barona iela {n}, Rīga, LV-10{n2}",
                 "Kr. Valdemāra iela {n}, Rīga", "Brīvības gatve {n}, Rīga", "Raiņa bulvāris {n}, Rīga"],
                 suppliers=["SIA Baltijas Koks", "SIA Rīgas Tīkli", "AS Latvijas Piens", "SIA Zaļais Dārzs",
                            "SIA Kurzemes Būve", "SIA DatuServiss", "SIA Vidzemes Enerģija"],
                 banks=["Swedbank", "SEB banka", "Citadele", "Luminor"], warehouses=["Centrālā noliktava", "Jelgava", "Veikals Nr. 2"],
                 templates=["Pavadzīme A4", "Rēķins ar logo", "Pavadzīme (PVN)"]),
    inv_fmt=["{year}/{n}", "R-{n:05d}", "ACM-{year}-{n:04d}", "Nr. {n:06d}", "RK{year}-{n:04d}"],
    doc_fmt=["PPR-{n:05d}", "Nr. {year}/{n}", "ORD-{n:06d}", "AN-{n:04d}"],
    inv_table=dict(no="Rēķina Nr.", date="Datums", partner="Partneris", reg="Reģ. Nr.", net="Summa bez PVN",
                   vat="PVN", total="Kopā", due="Apmaksas termiņš", sku="Kods", item="Nosaukums", qty="Daudzums",
                   unit="Mērv.", price="Cena", wh="Noliktava", account="Konts", status="Statuss"),
    items=["Papīrs A4 80g", "Tonera kasete HP 59A", "Palešu plēve 23 mkm", "Skrūves 4x40 (200 gab.)",
           "Ofisa krēsls", "Datu kabelis Cat6 305m", "Dīzeļdegviela", "Licence (gads)", "Kafija 1 kg"],
    statuses=["Apmaksāts", "Neapmaksāts", "Daļēji apmaksāts", "Grāmatots"],
    units=["gab.", "kg", "l", "iepak."],
    product="Skaitlis Algas",
    deid_names=["Darbinieks 1", "Darbinieks 2", "Darbinieks 3", "Vārds Uzvārds"],
)

LT = dict(
    greet=["Laba diena,", "Laba diena!", "Sveiki,", "Sveiki!", "Laba diena, Tomai,", "Gerbiami kolegos,",
           "Labas rytas,"],
    sign_off=["Pagarbiai,", "Su pagarba,", "Ačiū iš anksto!", "Dėkoju,", "Geros dienos!"],
    months=["sausio", "vasario", "kovo", "balandžio", "gegužės", "birželio", "liepos", "rugpjūčio", "rugsėjo",
            "spalio", "lapkričio", "gruodžio"],
    months_g=["sausio", "vasario", "kovo", "balandžio", "gegužės", "birželio", "liepos", "rugpjūčio", "rugsėjo",
              "spalio", "lapkričio", "gruodžio"],
    phone_label=["Tel.", "Tel. nr."],
    headers=dict(nr="Eil. Nr.", first="Vardas", last="Pavardė", full="Vardas, pavardė", position="Pareigos",
                 dept="Padalinys", birth="Gimimo data", gross="Priskaičiuota", net="Išmokėti", tax="GPM",
                 iban="Sąskaita (IBAN)", hours="Dirbtos valandos", days="Atostogų dienos", start="Priimtas į darbą",
                 phone="Telefonas", email="El. paštas", amount="Suma", tabnr="Tab. Nr."),
    code_header={"lt-asmens-kodas": "Asmens kodas", "pl-pesel": "PESEL", "ee-isikukood": "Asmens kodas (EE)",
                 "lv-personas-kods": "Asmens kodas (LV)"},
    code_label={"lt-asmens-kodas": ["a. k.", "asmens kodas", "a.k.", "AK"],
                "pl-pesel": ["PESEL", "Lenkijos asmens kodas (PESEL)"],
                "ee-isikukood": ["Estijos asmens kodas", "isikukood"],
                "lv-personas-kods": ["Latvijos asmens kodas", "personas kods"]},
    pay_issues=[
        ("Neteisingai apskaičiuotas GPM už {month_g} mėn.",
         "Skaičiuojant {month_g} mėnesio atlyginimus, kai kuriems darbuotojams programa netaiko NPD, nors "
         "prašymai pateikti. Versija {ver}."),
        ("SODRA nepriima 3-SD pranešimo",
         "Teikiant 3-SD pranešimą už {month_g} mėn., EDAS grąžina klaidą \"{err_text}\". Klaida susijusi su "
         "žemiau nurodytais darbuotojais."),
        ("Atostoginių skaičiavimas",
         "Atostoginiai apskaičiuojami mažesni nei pernai, nors atlyginimas nesikeitė. Prašau patikrinti vidutinio "
         "darbo užmokesčio skaičiavimą."),
        ("Nedarbingumo pažymėjimai nepriskiriami",
         "Importuojant elektroninius nedarbingumo pažymėjimus, dalis jų nepriskiriami darbuotojams — programa "
         "rašo \"Darbuotojas nerastas\"."),
        ("Atlyginimų eksportas į banką",
         "Eksportuojant {month_g} mėn. atlyginimų mokėjimus į banką (pain.001), bankas failą atmeta dėl "
         "klaidingų eilučių."),
        ("Darbo laiko apskaitos žiniaraštis neatsidaro",
         "Darbo laiko apskaitos žiniaraštis už {month_g} mėn. neatsidaro — programa užstringa. Pridedu duomenis."),
        ("Dvigubos išskaitos po atnaujinimo",
         "Po atnaujinimo į {ver} kai kurių darbuotojų atsiskaitymo lapeliuose rodomos dvi vienodos išskaitos."),
        ("Klaida importuojant darbuotojus",
         "Importuojant darbuotojų duomenis iš Excel, programa rodo klaidą \"{err_text}\" šiose eilutėse."),
        ("Metinė GPM313 deklaracija nesutampa",
         "Formuojant GPM313 deklaraciją už {year} m., sumos nesutampa su darbuotojų kortelėmis."),
        ("Nepaskaičiuoti viršvalandžiai",
         "{month_g} mėn. skaičiavime nepaskaičiuotas viršvalandžių priedas, nors žiniaraštyje valandos įvestos."),
    ],
    err_text=["Neteisingas asmens kodo formatas", "Dubliuotas įrašas", "Darbuotojas nerastas",
              "Neužpildytas laukas 'Draudimo pradžia'", "XML schemos klaida", "Neteisinga sąskaita"],
    person_lines=[
        "{name} ({cl} {code}) — {month_g} mėn. neišskaičiuotas GPM.",
        "Darbuotoj[as|a] {name}, {cl} {code}, neįtraukt[as|a] į 3-SD pranešimą.",
        "Problema su šia kortele: {name}, {cl} {code}.",
        "Pavyzdžiui, {name} ({code}) nedarbingumas nuo {d1} iki {d2}, bet programa skaičiuoja tik {n} d.",
        "Dar vienas atvejis — {name}, {cl} {code}.",
        "Atleist[am darbuotojui|ai darbuotojai] {name} ({cl} {code}) neapskaičiuota kompensacija už nepanaudotas atostogas.",
        "Nauj[as darbuotojas|a darbuotoja] {name}, {cl} {code}, priimt[as|a] {d1}, bet atlyginimas skaičiuojamas nuo mėnesio pradžios.",
        "Kortelėje {name} ({cl} {code}) po išsaugojimo dingsta NPD taikymas.",
    ],
    intro_attach=["Prisegu {file} — eksportas iš darbo užmokesčio modulio.", "Pridedu failą {file}.",
                  "Žr. priedą ({file}).", "Prisegtame faile {file} matosi klaida."],
    intro_table=["Įklijuoju lentelę iš programos:", "Duomenys iš žiniaraščio:", "Žemiau ištrauka iš ataskaitos:"],
    intro_fwd=["Persiunčiu personalo skyriaus laišką su duomenimis.", "Persiunčiu kolegės laišką, ten viskas aprašyta."],
    request=["Prašau padėti išsiaiškinti, kur klaida.", "Gal galite patikrinti ir patarti?",
             "Būtume dėkingi už greitą atsakymą — atlyginimai mokami {date}.", "Jei reikia daugiau informacijos, parašykite."],
    bd_lines=["Nauj[as darbuotojas|a darbuotoja] {name}, gim. {bd}, nerodom[as|a] darbuotojų sąraše po išsaugojimo.",
              "Darbuotoj[as|a] {name} (gimimo data {bd}) programoje rodom[as|a] kaip nepilnamet[is|ė], nors taip nėra.",
              "Netaikomas pensinio amžiaus NPD: {name}, gim[ęs|usi] {bd}."],
    salary_lines=["{name} — priskaičiuota {amt} EUR, bet programa rodo išmokėti {amt2} EUR.",
                  "Pavyzdžiui, {name}: atlyginimas {amt} EUR, GPM gaunasi {tax} EUR.",
                  "{name} mėnesinis atlyginimas {amt} EUR, o vidutinis dienos užmokestis tik {amt3} EUR."],
    phone_lines=["Jei reikia patikslinti duomenis, kontaktas — {name}, mob. {phone}.",
                 "{name} šiuo metu atostogauja, bet skubiu atveju galima skambinti {phone}."],
    email_lines=["Atsiskaitymo lapelį prašome atsiųsti ir darbuotojui asmeniniu el. paštu: {name}, {email}.",
                 "{name} prašo pažymą atsiųsti adresu {email}."],
    list_issues=[("Darbuotojų sąrašas pagal padalinius", "Spausdinant darbuotojų sąrašą pagal padalinius, "
                  "pareigos susimaišo — kai kuriems rodomos ankstesnės pareigos."),
                 ("Naudotojų teisės naujiems darbuotojams", "Žemiau sąrašas darbuotojų, kuriems reikia suteikti prieigą "
                  "prie avansinių apyskaitų modulio. Kaip tai padaryti masiškai?")],
    iban_issues=[("Atlyginimų mokėjimo failas", "Bankas atmeta {month_g} mėn. atlyginimų failą. Sąrašas:"),
                 ("Avanso išmokėjimas", "Šiems darbuotojams nesukuriami avanso mokėjimo nurodymai:")],
    agent_reply=["Laba diena, atsiųskite, prašau, klaidos ekrano kopiją ir programos versiją.",
                 "Laba diena, ar klaida rodoma visiems naudotojams?"],
    reply_header="{date}, {name} rašė:",
    fwd_header="---------- Persiųstas laiškas ----------\nTema: {subject}\nData: {date}\nNuo: {sender}\nKam: {to}",
    fwd_subject="FW: {subject}",
    reply_subject="RE: {subject}",
    files=dict(pay="DU_{month_file}", list="darbuotojai", bank="atlyginimu_mokejimai", vac="atostogos",
               sick="nedarbingumas", import_="darbuotoju_importas", report="3SD", zip="eksportas"),
    doc_titles=dict(pay="Darbo užmokesčio žiniaraštis", list="Darbuotojų sąrašas", bank="Atlyginimų mokėjimų sąrašas",
                    vac="Atostogų grafikas", sick="Nedarbingumo pažymėjimai", import_="Darbuotojų duomenų importas",
                    report="3-SD pranešimas"),
    sheet="Darbuotojai",
    clean=[
        ("Nepavyksta užregistruoti sąskaitos {inv}",
         "Bandant užregistruoti gautą PVM sąskaitą faktūrą {inv} iš {supplier} (įm. kodas {sup_reg}, PVM kodas "
         "{sup_vat}), programa rodo klaidą \"Laikotarpis uždarytas\". Sąskaitos data {date}, suma {amount} EUR."),
        ("i.SAF rinkmena neformuojama",
         "Formuojant i.SAF rinkmeną už {month_g} mėn., gaunama klaida {err_code}. Žurnale:\n{logline}"),
        ("Klaida po atnaujinimo į {ver}",
         "Po atnaujinimo į versiją {ver} (build {build}) programa paleidžiant meta klaidą. Ankstesnė versija "
         "{ver_old} veikė gerai.\n\n{trace}"),
        ("Licencijos aktyvavimas", "Perinstaliavome serverį, programa prašo licencijos rakto. Mūsų licencija: {lic}, "
         "diegimo ID {guid}."),
        ("Banko išrašo importas", "Importuojant {bank} išrašą (camt.053) už {date}, nesutampa pradinis likutis. "
         "Sąskaita {iban_co}. Išraše {n} operacijos, programoje tik {n2}."),
        ("Sandėlio likučiai nesutampa su sąskaita {acct}",
         "Sandėlyje \"{wh}\" po inventorizacijos {date} likučiai nesutampa su sąskaita {acct}. Skirtumas {amount} EUR."),
        ("PVM sąskaita faktūra {inv} — neteisingas PVM",
         "Išrašant PVM sąskaitą faktūrą {inv} pirkėjui {customer} (PVM kodas {cust_vat}), PVM skaičiuojamas nuo sumos "
         "be nuolaidos. Suma be PVM {amount} EUR, nuolaida {pct} %."),
        ("Lėtas balanso formavimas", "Balansas už {year} m. formuojamas ilgiau nei 10 min. Duomenų bazės žurnale:\n\n{sql}"),
        ("Sąskaitų planas — {acct}", "Ar galima sąskaitą {acct} išskaidyti į {acct}1 ir {acct}2 neprarandant istorijos? "
         "Šiais metais į ją įrašyta {n} operacijų, paskutinis dokumentas {doc}."),
        ("Dėl jūsų sąskaitos {vinv}", "Gavome jūsų sąskaitą {vinv} už {amount} EUR už techninę priežiūrą. Ar į ją "
         "įeina ir konsultacijos dėl metinės atskaitomybės? Apmokėjome iš sąskaitos {iban_co}."),
        ("Nesiunčiamos e. sąskaitos", "E. sąskaitos pirkėjui {customer} nesiunčiamos, būsena \"Klaida {err_code}\". "
         "Paskutinis sėkmingas siuntimas {date} {time}."),
        ("Ilgalaikio turto nusidėvėjimas dvigubas", "Ilgalaikiam turtui inv. Nr. {asset} nusidėvėjimas už {month_g} "
         "mėn. paskaičiuotas du kartus. Dokumentas {doc}, suma {amount} EUR."),
        ("Važtaraštis nespausdinamas", "Spausdinant važtaraštį {doc}, spausdintuvas išmeta tuščią lapą. Šablonas "
         "\"{tpl}\", versija {ver}."),
        ("Metų uždarymas", "Uždarant {year} metus programa rodo:\n{logline}\nAr galime tęsti?"),
        ("Valiutų kursai neįkeliami", "Nuo {date} neįkeliami Lietuvos banko valiutų kursai. Klaidos kodas {err_code}, "
         "paskutinis bandymas {time}."),
        ("Mokesčių pakeitimai nuo {year_next} m.", "Ar programoje jau yra {year_next} m. NPD ir GPM tarifų pakeitimai? "
         "Turime versiją {ver}."),
        ("Užsakymas {order} nevirsta sąskaita", "Užsakymo {order} iš {customer} negalime paversti sąskaita — "
         "mygtukas neaktyvus. Suma {amount} EUR, data {date}."),
    ],
    attach_clean=["Prisegu {file}.", "Pridedu {file}.", "Žr. priedą {file}."],
    deid=["Asmens duomenis nuasmeninome (asmens kodai → XXXXXXXXXXX, vardai → Vardas Pavardė).",
          "Duomenys nuasmeninti: vietoje vardų ir pavardžių \"***\"."],
    template_q=[("Darbuotojų importo šablonas", "Koks turi būti importo failo formatas? Turime tokius stulpelius, "
                 "bet importas nepavyksta:"),
                ("Atsiskaitymo lapelio šablonas", "Norime pakeisti atsiskaitymo lapelio šabloną. Stulpeliai:")],
    notif=[("i.SAF: rinkmena priimta", "isaf@vmi.example.lt", "VMI i.SAF",
            "Jūsų pateikta i.SAF rinkmena už {year}-{month_num} priimta.\nRegistracijos Nr. {docnum}\n"
            "Pateikimo data: {date_iso} {time}\nMokesčių mokėtojas: {client_name} ({reg})"),
           ("SODRA: dokumentas priimtas", "edas@sodra.example.lt", "SODRA EDAS",
            "Dokumentas priimtas. Dokumento Nr. {docnum}, gavimo data {date_iso}.\nDraudėjo kodas: {reg}")],
    company=dict(reg_label="Įm. kodas", vat_label="PVM kodas", addr=["Gedimino pr. {n}, Vilnius",
                 "J. Basanavičiaus g. {n}, Vilnius", "Vytauto g. {n}, Kaunas", "Konstitucijos pr. {n}, Vilnius"],
                 suppliers=["UAB Šiaurės prekyba", "UAB Vilniaus medis", "AB Kauno grūdai", "UAB Nemuno logistika",
                            "UAB Žalias sodas", "UAB Baltijos IT"],
                 banks=["Swedbank", "SEB", "Luminor", "Šiaulių bankas"], warehouses=["Centrinis sandėlis", "Kaunas", "Parduotuvė Nr. 3"],
                 templates=["Važtaraštis A4", "PVM SF su logotipu"]),
    inv_fmt=["SF-{n:06d}", "BSF Nr. {n:05d}", "BS {n:06d}", "PVM SF {year}-{n:04d}"],
    doc_fmt=["VAZ-{n:05d}", "U-{n:05d}", "Nr. {n:06d}", "AP-{n:04d}"],
    inv_table=dict(no="SF Nr.", date="Data", partner="Partneris", reg="Įm. kodas", net="Suma be PVM", vat="PVM",
                   total="Iš viso", due="Apmokėti iki", sku="Kodas", item="Pavadinimas", qty="Kiekis", unit="Mat. vnt.",
                   price="Kaina", wh="Sandėlis", account="Sąskaita", status="Būsena"),
    items=["Popierius A4 80g", "Kasetė HP 59A", "Plėvelė paletėms", "Varžtai 4x40 (200 vnt.)", "Biuro kėdė",
           "Kabelis Cat6 305m", "Dyzelinas", "Licencija (metai)", "Kava 1 kg"],
    statuses=["Apmokėta", "Neapmokėta", "Iš dalies apmokėta", "Užregistruota"],
    units=["vnt.", "kg", "l", "pak."],
    product="Skaitlis DU",
    deid_names=["Vardas Pavardė", "Darbuotojas 1", "Darbuotojas 2", "Darbuotojas 3"],
)
