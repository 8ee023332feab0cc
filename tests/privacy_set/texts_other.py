"""Romanian, Slovak, Russian and English phrase banks (same keys as texts_baltic.py)."""

RO = dict(
    greet=["Bună ziua,", "Bună ziua!", "Salut,", "Stimată echipă de suport,", "Bună dimineața,", "Stimați colegi,"],
    sign_off=["Cu stimă,", "Mulțumesc,", "Cu respect,", "Vă mulțumesc anticipat,", "O zi bună!"],
    months=["ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august", "septembrie",
            "octombrie", "noiembrie", "decembrie"],
    months_g=["ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august", "septembrie",
              "octombrie", "noiembrie", "decembrie"],
    phone_label=["Tel.", "Tel:"],
    last_first=True,
    headers=dict(nr="Nr. crt.", first="Prenume", last="Nume", full="Nume și prenume", position="Funcție",
                 dept="Departament", birth="Data nașterii", gross="Salariu brut", net="Salariu net", tax="Impozit",
                 iban="Cont IBAN", hours="Ore lucrate", days="Zile concediu", start="Data angajării",
                 phone="Telefon", email="E-mail", amount="Sumă", tabnr="Marcă"),
    code_header={"ro-cnp": "CNP"},
    code_label={"ro-cnp": ["CNP", "cod numeric personal", "CNP:"]},
    pay_issues=[
        ("Declarația D112 nu trece de validare",
         "La validarea declarației D112 pentru luna {month}, DUKIntegrator returnează eroarea \"{err_text}\". "
         "Eroarea apare la salariații de mai jos."),
        ("Calcul greșit al concediului medical",
         "Indemnizația de concediu medical pentru luna {month} este calculată greșit — baza de calcul nu include "
         "ultimele 6 luni."),
        ("Impozit calculat greșit pe {month}",
         "La calculul salariilor pe {month}, programul nu aplică deducerea personală de bază pentru unii salariați, "
         "deși au declarațiile depuse. Versiunea {ver}."),
        ("Exportul REVISAL nu funcționează",
         "La exportul în REVISAL, fișierul generat este respins cu eroarea \"{err_text}\"."),
        ("Fișierul de plată a salariilor este respins de bancă",
         "Banca respinge fișierul cu plățile salariale pe {month}, indicând rânduri greșite."),
        ("Tichete de masă calculate dublu",
         "După actualizarea la {ver}, la câțiva salariați tichetele de masă apar de două ori pe fluturaș."),
        ("Eroare la importul salariaților",
         "La importul salariaților din Excel, programul afișează eroarea \"{err_text}\" pe rândurile de mai jos."),
        ("Pontajul nu se deschide",
         "Foaia colectivă de prezență pe {month} nu se deschide — programul se blochează. Atașez datele."),
        ("Indemnizația de concediu de odihnă este prea mică",
         "Indemnizația de concediu de odihnă iese mai mică decât anul trecut, deși salariul nu s-a schimbat."),
        ("Ore suplimentare necalculate",
         "În statul de plată pe {month}, sporul pentru ore suplimentare nu este calculat, deși orele sunt în pontaj."),
    ],
    err_text=["CNP invalid", "Înregistrare duplicat", "Salariatul nu a fost găsit", "Câmpul 'Tip asigurat' necompletat",
              "Eroare de validare XML", "Cont IBAN invalid"],
    person_lines=[
        "{name} ({cl} {code}) — pe {month} nu s-a reținut impozitul.",
        "Salariat[ul|a] {name}, {cl} {code}, nu apare în D112 pe {month}.",
        "Problema este la fișa: {name}, {cl} {code}.",
        "De exemplu, {name} ({code}) are concediu medical de la {d1} până la {d2}, dar programul calculează doar {n} zile.",
        "Încă un caz — {name}, {cl} {code}.",
        "Pentru salariat[ul|a] {name} ({cl} {code}) nu s-a calculat compensația pentru concediul neefectuat.",
        "Salariat[ul nou angajat|a nou angajată] {name}, {cl} {code}, angajat[|ă] din {d1}, este calculat[|ă] de la "
        "începutul lunii.",
        "În fișa salariat[ului|ei] {name} ({cl} {code}) dispare deducerea pentru persoana în întreținere după salvare.",
    ],
    intro_attach=["Atașez {file} — export din modulul de salarii.", "Vă trimit fișierul {file}.",
                  "Vedeți atașamentul ({file}).", "În fișierul atașat {file} se vede eroarea."],
    intro_table=["Copiez tabelul din program:", "Datele din statul de plată:", "Mai jos un extras din raport:"],
    intro_fwd=["Vă redirecționez mesajul de la resurse umane cu datele.", "Vă trimit mai departe mesajul colegei mele."],
    request=["Vă rog să ne ajutați să găsim eroarea.", "Puteți verifica și să ne spuneți ce trebuie făcut?",
             "Vă rugăm un răspuns rapid — salariile se plătesc pe {date}.", "Dacă aveți nevoie de alte informații, scrieți-mi."],
    bd_lines=["Salariat[ul nou|a nouă] {name}, născut[|ă] la {bd}, nu apare în lista de personal după salvare.",
              "Salariat[ul|a] {name} (data nașterii {bd}) apare în program ca minor[|ă], deși nu este.",
              "Nu se aplică facilitatea pentru pensionari: {name}, născut[|ă] {bd}."],
    salary_lines=["{name} — salariu brut {amt} lei, dar programul calculează net {amt2} lei.",
                  "De exemplu, {name}: brut {amt} lei, impozit {tax} lei.",
                  "{name} are salariul de bază {amt} lei, dar media zilnică pentru concediu iese doar {amt3} lei."],
    phone_lines=["Pentru detalii, persoana de contact este {name}, telefon mobil {phone}.",
                 "{name} este în concediu, dar în caz de urgență poate fi sunat[|ă] la {phone}."],
    email_lines=["Vă rog să trimiteți fluturașul și pe adresa personală a salariat[ului|ei]: {name}, {email}.",
                 "{name} solicită adeverința pe adresa {email}."],
    list_issues=[("Lista de personal pe departamente", "La tipărirea listei de personal pe departamente, funcțiile se "
                  "amestecă — unii salariați apar cu funcția anterioară."),
                 ("Drepturi de acces pentru angajații noi", "Mai jos lista angajaților care trebuie să primească acces "
                  "la modulul de deconturi. Se poate face în masă?")],
    iban_issues=[("Fișierul de plată a salariilor", "Banca respinge fișierul de plată pe {month}. Lista:"),
                 ("Avansul nu se generează", "Ordinele de plată pentru avans nu se generează pentru acești salariați:")],
    agent_reply=["Bună ziua, vă rog să ne trimiteți o captură de ecran cu eroarea și versiunea programului.",
                 "Bună ziua, eroarea apare la toți utilizatorii?"],
    reply_header="În {date}, {name} a scris:",
    fwd_header="---------- Mesaj redirecționat ----------\nDe la: {sender}\nData: {date}\nSubiect: {subject}\nCătre: {to}",
    fwd_subject="Fwd: {subject}",
    reply_subject="RE: {subject}",
    files=dict(pay="stat_plata_{month_file}", list="personal", bank="plati_salarii", vac="concedii",
               sick="concedii_medicale", import_="import_salariati", report="D112", zip="export"),
    doc_titles=dict(pay="Stat de plată", list="Lista de personal", bank="Lista plăților salariale",
                    vac="Programarea concediilor", sick="Certificate de concediu medical", import_="Import salariați",
                    report="Declarația 112"),
    sheet="Salariati",
    clean=[
        ("Nu pot înregistra factura {inv}",
         "Încerc să înregistrez factura de achiziție {inv} de la {supplier} (CUI {sup_reg}, cod TVA {sup_vat}), dar "
         "programul afișează eroarea \"Perioadă închisă\". Data facturii {date}, valoare {amount} lei."),
        ("Declarația D394 nu se generează",
         "La generarea D394 pentru luna {month} apare eroarea {err_code}. În jurnal:\n{logline}"),
        ("Eroare după actualizarea la {ver}",
         "După actualizarea la versiunea {ver} (build {build}) programul dă eroare la pornire. Versiunea anterioară "
         "{ver_old} funcționa corect.\n\n{trace}"),
        ("Activare licență", "Am reinstalat serverul și programul cere cheia de licență. Licența noastră: {lic}, "
         "ID instalare {guid}."),
        ("Import extras bancar", "La importul extrasului {bank} (MT940) din {date}, soldul inițial nu corespunde. "
         "Contul nostru {iban_co}. Extrasul are {n} tranzacții, în program se importă doar {n2}."),
        ("Stocurile nu corespund cu contul {acct}", "În gestiunea \"{wh}\", după inventarul din {date}, stocurile nu "
         "corespund cu contul {acct}. Diferența este {amount} lei."),
        ("Factura {inv} — TVA greșit", "La emiterea facturii {inv} către {customer} (cod TVA {cust_vat}), TVA-ul se "
         "calculează din valoarea fără discount. Valoare fără TVA {amount} lei, discount {pct}%."),
        ("Balanța se generează foarte greu", "Balanța de verificare pe {year} se generează în peste 10 minute. "
         "În jurnalul bazei de date apare interogarea:\n\n{sql}"),
        ("Planul de conturi — contul {acct}", "Se poate împărți contul {acct} în analitice {acct}.01 și {acct}.02 fără "
         "a pierde istoricul? Anul acesta sunt {n} înregistrări, ultimul document {doc}."),
        ("Întrebare despre factura {vinv}", "Am primit factura dumneavoastră {vinv} în valoare de {amount} lei pentru "
         "suport tehnic. Include și consultanța pentru bilanț? Am plătit din contul {iban_co}."),
        ("e-Factura nu se transmite", "Facturile către {customer} nu se transmit în SPV, starea \"Eroare {err_code}\". "
         "Ultima transmitere reușită {date} ora {time}."),
        ("Amortizare calculată de două ori", "Pentru mijlocul fix cu nr. de inventar {asset}, amortizarea pe {month} a "
         "fost calculată de două ori. Document {doc}, valoare {amount} lei."),
        ("Avizul nu se tipărește", "La tipărirea avizului {doc} imprimanta scoate o pagină goală. Șablon \"{tpl}\", "
         "versiunea {ver}."),
        ("Închiderea anului", "La închiderea anului {year} programul afișează:\n{logline}\nPutem continua?"),
        ("Cursul BNR nu se descarcă", "Din {date} nu se mai descarcă cursul BNR. Cod eroare {err_code}, ultima "
         "încercare la {time}."),
        ("Modificări fiscale din {year_next}", "Programul include deja modificările din {year_next} privind cotele de "
         "TVA și contribuțiile? Avem versiunea {ver}."),
        ("Comanda {order} nu se poate factura", "Comanda {order} de la {customer} nu poate fi facturată — butonul este "
         "inactiv. Valoare {amount} lei, data {date}."),
    ],
    attach_clean=["Atașez {file}.", "Vă trimit {file}.", "Vedeți atașat {file}."],
    deid=["Am anonimizat datele (CNP → XXXXXXXXXXXXX, nume → Salariat 1, 2, ...).",
          "Datele sunt anonimizate: în loc de nume și prenume apare \"***\"."],
    template_q=[("Șablon import salariați", "Ce format trebuie să aibă fișierul de import? Avem coloanele de mai jos, "
                 "dar importul nu merge:"), ("Șablon fluturaș", "Dorim să modificăm șablonul fluturașului. Coloane:")],
    notif=[("SPV: recipisă depunere", "noreply@anaf.example.ro", "ANAF SPV",
            "Declarația D300 pentru perioada {month_num}/{year} a fost depusă.\nNumăr înregistrare: {docnum}\n"
            "Data depunerii: {date} {time}\nContribuabil: {client_name}, CUI {reg}"),
           ("e-Factura: mesaj de eroare", "efactura@anaf.example.ro", "ANAF e-Factura",
            "Factura {inv} a fost respinsă.\nIndex încărcare: {docnum}\nCod eroare: {err_code}\nData: {date_iso} {time}")],
    company=dict(reg_label="CUI", vat_label="Cod TVA", addr=["Str. Mihai Eminescu nr. {n}, Cluj-Napoca",
                 "Bd. Ion C. Brătianu nr. {n}, București", "Calea Victoriei nr. {n}, București",
                 "Str. Avram Iancu nr. {n}, Sibiu"],
                 suppliers=["SC Transilvania Trading SRL", "SC Dacia Logistic SRL", "Agro Mureș SA",
                            "SC Bucovina Impex SRL", "SC Someș Construct SRL"],
                 banks=["Banca Transilvania", "BCR", "BRD", "ING Bank"],
                 warehouses=["Depozit central", "Magazin Cluj", "Gestiunea 2"], templates=["Aviz A4", "Factură cu logo"]),
    inv_fmt=["CRP {n:07d}", "seria CRP nr. {n}", "FCT-{year}-{n:05d}", "CRP-{n:05d}"],
    doc_fmt=["NIR {n:05d}", "Aviz nr. {n}", "CMD-{n:05d}", "DP-{n:04d}"],
    inv_table=dict(no="Nr. factură", date="Data", partner="Partener", reg="CUI", net="Valoare fără TVA", vat="TVA",
                   total="Total", due="Scadență", sku="Cod", item="Denumire", qty="Cantitate", unit="UM", price="Preț",
                   wh="Gestiune", account="Cont", status="Stare"),
    items=["Hârtie A4 80g", "Cartuș toner HP 59A", "Folie stretch", "Șuruburi 4x40 (200 buc.)", "Scaun birou",
           "Cablu Cat6 305m", "Motorină", "Licență (an)", "Cafea 1 kg"],
    statuses=["Achitată", "Neachitată", "Parțial achitată", "Înregistrată"],
    units=["buc.", "kg", "l", "pachet"],
    product="Skaitlis Salarii",
    deid_names=["Salariat 1", "Salariat 2", "Salariat 3", "Nume Prenume"],
)

SK = dict(
    greet=["Dobrý deň,", "Dobrý deň!", "Zdravím,", "Dobrý deň prajem,", "Vážená podpora,"],
    sign_off=["S pozdravom", "S pozdravom,", "Ďakujem,", "Vopred ďakujem,", "Pekný deň,"],
    months=["január", "február", "marec", "apríl", "máj", "jún", "júl", "august", "september", "október",
            "november", "december"],
    months_g=["januára", "februára", "marca", "apríla", "mája", "júna", "júla", "augusta", "septembra", "októbra",
              "novembra", "decembra"],
    phone_label=["Tel.:", "tel."],
    headers=dict(nr="P.č.", first="Meno", last="Priezvisko", full="Meno a priezvisko", position="Pozícia",
                 dept="Oddelenie", birth="Dátum narodenia", gross="Hrubá mzda", net="Čistá mzda",
                 tax="Preddavok na daň", iban="IBAN", hours="Odpracované hodiny", days="Dni dovolenky",
                 start="Dátum nástupu", phone="Telefón", email="E-mail", amount="Suma", tabnr="Os. číslo"),
    code_header={"sk-rodne-cislo": "Rodné číslo", "cz-rodne-cislo": "Rodné číslo (CZ)", "pl-pesel": "PESEL"},
    code_label={"sk-rodne-cislo": ["r. č.", "rodné číslo", "RČ"],
                "cz-rodne-cislo": ["české rodné číslo", "r. č. (CZ)", "RČ"],
                "pl-pesel": ["PESEL", "poľské identifikačné číslo PESEL"]},
    pay_issues=[
        ("Chybný výpočet preddavku na daň za {month}",
         "Pri výpočte miezd za {month} program niektorým zamestnancom neuplatňuje nezdaniteľnú časť, hoci majú "
         "podané vyhlásenie. Verzia {ver}."),
        ("Mesačný výkaz pre Sociálnu poisťovňu neprešiel",
         "Pri odoslaní mesačného výkazu poistného za {month} vráti portál chybu \"{err_text}\". Týka sa to "
         "zamestnancov nižšie."),
        ("Výpočet náhrady za dovolenku",
         "Náhrada za dovolenku vychádza nižšia ako minulý rok, hoci mzda sa nezmenila. Prosím o kontrolu "
         "priemerného zárobku."),
        ("Nemocenské — nesprávny počet dní",
         "Náhrada príjmu pri dočasnej pracovnej neschopnosti za {month} je vypočítaná za nesprávny počet dní."),
        ("Export výplat do banky",
         "Pri exporte výplat za {month} do banky (SEPA XML) banka súbor odmieta pre chybné riadky."),
        ("Dochádzka sa neotvorí", "Mesačná dochádzka za {month} sa neotvorí — program zamrzne. Prikladám údaje."),
        ("Dvojité zrážky po aktualizácii",
         "Po aktualizácii na {ver} sa niektorým zamestnancom na výplatnej páske zobrazujú dve rovnaké zrážky."),
        ("Chyba pri importe zamestnancov",
         "Pri importe zamestnancov z Excelu program hlási chybu \"{err_text}\" v týchto riadkoch."),
        ("Ročné zúčtovanie nesedí", "Pri ročnom zúčtovaní preddavkov za {year} nesedia sumy s mzdovými listami."),
        ("Výkaz pre zdravotnú poisťovňu",
         "Mesačný výkaz pre zdravotnú poisťovňu za {month} obsahuje nesprávne vymeriavacie základy."),
    ],
    err_text=["Neplatné rodné číslo", "Duplicitný záznam", "Zamestnanec nenájdený", "Nevyplnené pole 'Typ poistenca'",
              "Chyba XML schémy", "Neplatný IBAN"],
    person_lines=[
        "{name} ({cl} {code}) — za {month} nebol zrazený preddavok na daň.",
        "Zamestnan[ec|kyňa] {name}, {cl} {code}, nie je zahrnut[ý|á] v mesačnom výkaze za {month}.",
        "Problém je s touto kartou: {name}, {cl} {code}.",
        "Napríklad {name} ({code}) je PN od {d1} do {d2}, ale program počíta iba {n} dní.",
        "Ďalší prípad — {name}, {cl} {code}.",
        "Prepusten[ému zamestnancovi|ej zamestnankyni] {name} ({cl} {code}) nebola vypočítaná náhrada za "
        "nevyčerpanú dovolenku.",
        "Nov[ý zamestnanec|á zamestnankyňa] {name}, {cl} {code}, nastúpil[|a] {d1}, ale mzda sa počíta od začiatku mesiaca.",
        "Na karte {name} ({cl} {code}) po uložení zmizne daňový bonus na dieťa.",
    ],
    intro_attach=["V prílohe {file} — export z mzdového modulu.", "Prikladám súbor {file}.", "Pozrite prílohu ({file}).",
                  "V priloženom súbore {file} je vidno chybu."],
    intro_table=["Vkladám tabuľku z programu:", "Údaje z výplatnej listiny:", "Nižšie výpis z reportu:"],
    intro_fwd=["Preposielam e-mail z personálneho s údajmi.", "Preposielam správu kolegyne, je tam všetko popísané."],
    request=["Prosím o pomoc, kde je chyba.", "Viete to skontrolovať a poradiť?",
             "Prosím o rýchlu odpoveď — výplaty sú {date}.", "Ak potrebujete ďalšie informácie, dajte vedieť."],
    bd_lines=["Nov[ý zamestnanec|á zamestnankyňa] {name}, naroden[ý|á] {bd}, sa po uložení nezobrazuje v zozname.",
              "Zamestnan[ec|kyňa] {name} (dátum narodenia {bd}) je v programe veden[ý|á] ako mladistv[ý|á], hoci nie je.",
              "Neuplatňuje sa odvodová úľava pre dôchodcu: {name}, nar. {bd}."],
    salary_lines=["{name} — hrubá mzda {amt} €, ale program počíta čistú mzdu {amt2} €.",
                  "Napríklad {name}: hrubá mzda {amt} €, preddavok na daň {tax} €.",
                  "{name} má mesačnú mzdu {amt} €, ale priemerný denný zárobok vychádza len {amt3} €."],
    phone_lines=["Ak treba niečo upresniť, kontakt — {name}, mobil {phone}.",
                 "{name} je na dovolenke, ale v naliehavom prípade je k zastihnutiu na {phone}."],
    email_lines=["Výplatnú pásku prosím pošlite aj na súkromný e-mail zamestnan[ca|kyne]: {name}, {email}.",
                 "{name} žiada poslať potvrdenie na {email}."],
    list_issues=[("Zoznam zamestnancov podľa oddelení", "Pri tlači zoznamu zamestnancov podľa oddelení sa pozície "
                  "pomiešajú — niektorí majú predchádzajúcu pozíciu."),
                 ("Prístupové práva pre nových zamestnancov", "Nižšie zoznam zamestnancov, ktorým treba prideliť "
                  "prístup k modulu cestovných náhrad. Dá sa to hromadne?")],
    iban_issues=[("Súbor s výplatami", "Banka odmieta súbor s výplatami za {month}. Zoznam:"),
                 ("Záloha sa negeneruje", "Pre týchto zamestnancov sa negenerujú platobné príkazy na zálohu:")],
    agent_reply=["Dobrý deň, pošlite prosím snímku obrazovky s chybou a verziu programu.",
                 "Dobrý deň, zobrazuje sa chyba všetkým používateľom?"],
    reply_header="Dňa {date} {name} napísal(a):",
    fwd_header="-------- Preposlaná správa --------\nPredmet: {subject}\nDátum: {date}\nOd: {sender}\nKomu: {to}",
    fwd_subject="Fwd: {subject}",
    reply_subject="RE: {subject}",
    files=dict(pay="mzdy_{month_file}", list="zamestnanci", bank="vyplaty", vac="dovolenky", sick="PN",
               import_="import_zamestnancov", report="mesacny_vykaz", zip="export"),
    doc_titles=dict(pay="Výplatná listina", list="Zoznam zamestnancov", bank="Zoznam výplat", vac="Plán dovoleniek",
                    sick="Pracovné neschopnosti", import_="Import zamestnancov", report="Mesačný výkaz poistného"),
    sheet="Zamestnanci",
    clean=[
        ("Nedá sa zaúčtovať faktúra {inv}",
         "Pri zaúčtovaní prijatej faktúry {inv} od {supplier} (IČO {sup_reg}, IČ DPH {sup_vat}) program hlási chybu "
         "\"Obdobie je uzavreté\". Dátum faktúry {date}, suma {amount} €."),
        ("Kontrolný výkaz DPH sa negeneruje",
         "Pri generovaní kontrolného výkazu DPH za {month} sa zobrazí chyba {err_code}. V logu:\n{logline}"),
        ("Chyba po aktualizácii na {ver}",
         "Po aktualizácii na verziu {ver} (build {build}) program pri štarte spadne. Predchádzajúca verzia {ver_old} "
         "fungovala.\n\n{trace}"),
        ("Aktivácia licencie", "Preinštalovali sme server a program žiada licenčný kľúč. Naša licencia: {lic}, "
         "ID inštalácie {guid}."),
        ("Import bankového výpisu", "Pri importe výpisu z {bank} (camt.053) za {date} nesedí počiatočný zostatok. "
         "Účet {iban_co}. Výpis má {n} pohybov, do programu sa načíta len {n2}."),
        ("Stav skladu nesedí s účtom {acct}", "Na sklade \"{wh}\" po inventúre {date} stav nesedí s účtom {acct}. "
         "Rozdiel {amount} €."),
        ("Faktúra {inv} — nesprávna DPH", "Pri vystavení faktúry {inv} odberateľovi {customer} (IČ DPH {cust_vat}) sa "
         "DPH počíta zo sumy bez zľavy. Základ {amount} €, zľava {pct} %."),
        ("Pomalá súvaha", "Súvaha za {year} sa generuje viac ako 10 minút. V logu databázy vidíme dopyt:\n\n{sql}"),
        ("Účtový rozvrh — účet {acct}", "Dá sa účet {acct} rozdeliť na analytiky {acct}.100 a {acct}.200 bez straty "
         "histórie? Tento rok je na ňom {n} zápisov, posledný doklad {doc}."),
        ("Otázka k vašej faktúre {vinv}", "Dostali sme vašu faktúru {vinv} na {amount} € za technickú podporu. "
         "Zahŕňa aj konzultácie k účtovnej závierke? Platili sme z účtu {iban_co}."),
        ("eFaktúry sa neodosielajú", "eFaktúry pre {customer} sa neodosielajú, stav \"Chyba {err_code}\". Posledné "
         "úspešné odoslanie {date} o {time}."),
        ("Odpisy vypočítané dvakrát", "Pre majetok inv. č. {asset} boli odpisy za {month} vypočítané dvakrát. "
         "Doklad {doc}, suma {amount} €."),
        ("Dodací list sa netlačí", "Pri tlači dodacieho listu {doc} tlačiareň vytlačí prázdnu stranu. Šablóna "
         "\"{tpl}\", verzia {ver}."),
        ("Uzávierka roka", "Pri uzávierke roka {year} program hlási:\n{logline}\nMôžeme pokračovať?"),
        ("Kurzy ECB sa nesťahujú", "Od {date} sa nesťahujú kurzy ECB. Kód chyby {err_code}, posledný pokus {time}."),
        ("Legislatívne zmeny od {year_next}", "Obsahuje program už zmeny od {year_next} (sadzby DPH, odvody)? "
         "Máme verziu {ver}."),
        ("Objednávka {order} sa nedá vyfakturovať", "Objednávku {order} od {customer} nevieme vyfakturovať — "
         "tlačidlo je neaktívne. Suma {amount} €, dátum {date}."),
    ],
    attach_clean=["V prílohe {file}.", "Prikladám {file}.", "Posielam {file}."],
    deid=["Osobné údaje sme anonymizovali (rodné čísla → XXXXXX/XXXX, mená → Zamestnanec 1, 2, ...).",
          "Údaje sú anonymizované: namiesto mien \"***\"."],
    template_q=[("Šablóna importu zamestnancov", "Aký má byť formát importného súboru? Máme tieto stĺpce, ale "
                 "import nejde:"), ("Šablóna výplatnej pásky", "Chceme upraviť výplatnú pásku. Stĺpce:")],
    notif=[("eDane: podanie prijaté", "noreply@financnasprava.example.sk", "Finančná správa SR",
            "Podanie Kontrolný výkaz DPH za {month_num}/{year} bolo prijaté.\nČíslo podania: {docnum}\n"
            "Dátum: {date} {time}\nDaňový subjekt: {client_name}, DIČ {dic}"),
           ("Sociálna poisťovňa: výkaz prijatý", "noreply@socpoist.example.sk", "Sociálna poisťovňa",
            "Mesačný výkaz bol prijatý.\nIdentifikátor: {guid}\nDátum prijatia: {date_iso} {time}\n"
            "Zamestnávateľ IČO {reg}")],
    company=dict(reg_label="IČO", vat_label="IČ DPH", addr=["Štúrova {n}, Bratislava", "Hviezdoslavovo nám. {n}, Bratislava",
                 "Ulica Ľudovíta Štúra {n}, Žilina", "Námestie SNP {n}, Banská Bystrica"],
                 suppliers=["Stavby Žilina s.r.o.", "Agro Trnava a.s.", "Danubia Trade s.r.o.",
                            "Tatranská logistika s.r.o.", "Dunaj IT s.r.o."],
                 banks=["Slovenská sporiteľňa", "Tatra banka", "VÚB banka", "ČSOB"],
                 warehouses=["Hlavný sklad", "Predajňa Košice", "Sklad 2"], templates=["Dodací list A4", "Faktúra s logom"]),
    inv_fmt=["{year}{n:06d}", "FV{year}{n:04d}", "FA-{n:05d}", "VF{n:06d}"],
    doc_fmt=["DL-{n:05d}", "OBJ-{year}-{n:04d}", "ID{n:06d}", "PPD {n:04d}"],
    inv_table=dict(no="Číslo faktúry", date="Dátum", partner="Partner", reg="IČO", net="Základ", vat="DPH",
                   total="Spolu", due="Splatnosť", sku="Kód", item="Názov", qty="Množstvo", unit="MJ", price="Cena",
                   wh="Sklad", account="Účet", status="Stav"),
    items=["Papier A4 80g", "Toner HP 59A", "Stretch fólia", "Skrutky 4x40 (200 ks)", "Kancelárska stolička",
           "Kábel Cat6 305m", "Nafta", "Licencia (rok)", "Káva 1 kg"],
    statuses=["Uhradená", "Neuhradená", "Čiastočne uhradená", "Zaúčtovaná"],
    units=["ks", "kg", "l", "bal."],
    product="Skaitlis Mzdy",
    deid_names=["Zamestnanec 1", "Zamestnanec 2", "Zamestnanec 3", "Meno Priezvisko"],
)

RU = dict(
    greet=["Добрый день!", "Здравствуйте!", "Добрый день,", "Здравствуйте, коллеги!", "Доброе утро!",
           "Уважаемая техподдержка,"],
    sign_off=["С уважением,", "Спасибо!", "Заранее спасибо,", "Хорошего дня!"],
    months=["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
            "ноябрь", "декабрь"],
    months_g=["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре", "октябре",
              "ноябре", "декабре"],
    phone_label=["тел.", "Тел.:"],
    last_first=True,
    headers=dict(nr="№ п/п", first="Имя", last="Фамилия", full="ФИО", position="Должность", dept="Подразделение",
                 birth="Дата рождения", gross="Начислено", net="К выплате", tax="НДФЛ", iban="Счёт (IBAN)",
                 hours="Отработано часов", days="Дней отпуска", start="Дата приёма", phone="Телефон",
                 email="E-mail", amount="Сумма", tabnr="Таб. №", patronymic="Отчество"),
    code_header={"ru-snils": "СНИЛС", "ru-inn": "ИНН", "lv-personas-kods": "Персональный код"},
    code_label={"ru-snils": ["СНИЛС", "страховой номер", "СНИЛС:"], "ru-inn": ["ИНН", "ИНН:"],
                "lv-personas-kods": ["персональный код", "перс. код"]},
    pay_issues=[
        ("НДФЛ за {month} рассчитан неверно",
         "При расчёте зарплаты за {month} программа некоторым сотрудникам не предоставляет стандартные вычеты, "
         "хотя заявления есть. Релиз {ver}."),
        ("Не проходит ЕФС-1",
         "При отправке ЕФС-1 (подраздел 1.1) за {month} СФР возвращает ошибку \"{err_text}\". Ошибка по "
         "сотрудникам ниже."),
        ("Неверный расчёт отпускных",
         "Отпускные получаются меньше, чем в прошлом году, хотя оклад не менялся. Проверьте, пожалуйста, расчёт "
         "среднего заработка."),
        ("Больничные не загружаются",
         "При загрузке электронных больничных из СФР часть листков не сопоставляется с сотрудниками — "
         "\"Сотрудник не найден\"."),
        ("Выгрузка зарплаты в банк",
         "При выгрузке зарплатной ведомости за {month} в банк банк возвращает реестр с ошибками."),
        ("Табель не формируется", "Табель учёта рабочего времени за {month} не открывается — программа зависает. "
         "Прикладываю данные."),
        ("Задвоились удержания после обновления",
         "После обновления до {ver} у некоторых сотрудников в расчётном листке два одинаковых удержания."),
        ("Ошибка при загрузке сотрудников",
         "При загрузке сотрудников из Excel программа выдаёт ошибку \"{err_text}\" в этих строках."),
        ("РСВ не сходится", "В расчёте по страховым взносам за {year} год суммы не сходятся с карточками сотрудников."),
        ("6-НДФЛ: расхождения", "В 6-НДФЛ за {month} расхождение с регистрами налогового учёта по сотрудникам ниже."),
    ],
    pay_issues_lv=[
        ("Неправильно рассчитан IIN за {month}",
         "При расчёте зарплаты за {month} программа некоторым сотрудникам удерживает IIN по повышенной ставке, "
         "хотя годовой доход не превышает порог. Версия {ver}."),
        ("Отчёт в VSAA не принимается в EDS",
         "При подаче отчёта о взносах VSAOI за {month} EDS возвращает ошибку \"{err_text}\". Ошибка по "
         "сотрудникам ниже."),
        ("Больничные листы B не привязываются",
         "При загрузке больничных листов из e-veselība часть листов не привязывается к сотрудникам — "
         "\"Darbinieks nav atrasts\"."),
        ("Отпускные посчитаны неверно",
         "Отпускные получаются меньше, чем в прошлом году, хотя зарплата не менялась. Проверьте, пожалуйста, "
         "расчёт среднего заработка."),
    ],
    clean_lv=[
        ("Не получается провести счёт {inv}",
         "При проведении входящего счёта {inv} от {supplier} (рег. № {sup_reg}, PVN {sup_vat}) программа пишет "
         "\"Periods ir slēgts\". Дата счёта {date}, сумма {amount} EUR."),
        ("Декларация PVN не экспортируется",
         "Декларацию PVN за {month} не получается экспортировать в EDS — ошибка {err_code}. В журнале:\n{logline}"),
        ("Ошибка после обновления до {ver}",
         "После обновления до версии {ver} (build {build}) программа падает при запуске. Версия {ver_old} "
         "работала нормально.\n\n{trace}"),
        ("Импорт банковской выписки",
         "При импорте выписки {bank} за {date} не совпадает начальный остаток. Наш счёт {iban_co}. В выписке {n} "
         "операций, загружается только {n2}."),
        ("Вопрос по вашему счёту {vinv}",
         "Получили ваш счёт {vinv} на {amount} EUR за техподдержку. Оплатили с нашего счёта {iban_co}."),
    ],
    err_text=["Некорректный СНИЛС", "Дублирующая запись", "Сотрудник не найден",
              "Не заполнено поле 'Код категории застрахованного'", "Ошибка схемы XML", "Неверный ИНН"],
    person_lines=[
        "{name} ({cl} {code}) — в {month_g} не удержан подоходный налог.",
        "Сотрудни[к|ца] {name}, {cl} {code}, не попал[|а] в отчёт за {month}.",
        "Проблема с карточкой: {name}, {cl} {code}.",
        "Например: {name} ({code}) — больничный с {d1} по {d2}, а программа считает только {n} дн.",
        "Ещё один случай — {name}, {cl} {code}.",
        "Уволенн[ому сотруднику|ой сотруднице] — {name}, {cl} {code} — не рассчитана компенсация за "
        "неиспользованный отпуск.",
        "Нов[ый сотрудник|ая сотрудница] {name} ({cl} {code}) принят[|а] {d1}, но зарплата считается с начала месяца.",
        "В карточке сотрудника ({name}, {cl} {code}) после сохранения пропадает вычет на ребёнка.",
    ],
    intro_attach=["Во вложении {file} — выгрузка из программы.", "Прикладываю файл {file}.", "См. вложение ({file}).",
                  "В приложенном файле {file} видна ошибка."],
    intro_table=["Копирую таблицу из программы:", "Данные из ведомости:", "Ниже выдержка из отчёта:"],
    intro_fwd=["Пересылаю письмо отдела кадров с данными.", "Пересылаю письмо коллеги, там всё описано."],
    request=["Помогите, пожалуйста, разобраться, где ошибка.", "Можете проверить и подсказать?",
             "Просим ответить побыстрее — зарплата {date}.", "Если нужна дополнительная информация, напишите."],
    bd_lines=["Нов[ый сотрудник|ая сотрудница] {name}, дата рождения {bd}, не отображается в списке после сохранения.",
              "Сотрудни[к|ца] {name} ({bd} г. р.) в программе числится несовершеннолетн[им|ей], хотя это не так.",
              "Не применяется льгота для пенсионеров: {name}, д. р. {bd}."],
    salary_lines=["{name} — начислено {amt} {cur}, а программа показывает к выплате {amt2} {cur}",
                  "Например, {name}: оклад {amt} {cur}, налог {tax} {cur}",
                  "{name}: оклад {amt} {cur}, а средний дневной заработок для отпускных всего {amt3} {cur}"],
    phone_lines=["Если нужно уточнить данные, контакт — {name}, моб. {phone}.",
                 "{name} сейчас в отпуске, но в срочном случае можно позвонить по номеру {phone}."],
    email_lines=["Расчётный листок прошу отправить также на личную почту сотрудни[ка|цы]: {name}, {email}.",
                 "{name} просит прислать справку на {email}."],
    list_issues=[("Список сотрудников по подразделениям", "При печати списка сотрудников по подразделениям "
                  "перепутаны должности — у некоторых отображается предыдущая."),
                 ("Права доступа для новых сотрудников", "Ниже список сотрудников, которым нужно дать доступ к модулю "
                  "авансовых отчётов. Можно ли сделать это массово?")],
    iban_issues=[("Файл зарплатных платежей", "Банк отклоняет файл зарплатных платежей за {month}. Список:"),
                 ("Аванс не формируется", "Для этих сотрудников не формируются платёжные поручения на аванс:")],
    agent_reply=["Добрый день! Пришлите, пожалуйста, скриншот ошибки и номер релиза.",
                 "Добрый день! Ошибка у всех пользователей?"],
    reply_header="{date}, {name} пишет:",
    fwd_header="-------- Пересылаемое сообщение --------\nТема: {subject}\nДата: {date}\nОт: {sender}\nКому: {to}",
    fwd_subject="Fwd: {subject}",
    reply_subject="RE: {subject}",
    files=dict(pay="vedomost_{month_file}", list="sotrudniki", bank="reestr_zp", vac="otpuska", sick="bolnichnye",
               import_="zagruzka_sotrudnikov", report="EFS-1", zip="vygruzka"),
    doc_titles=dict(pay="Расчётная ведомость", list="Список сотрудников", bank="Реестр зарплатных платежей",
                    vac="График отпусков", sick="Листки нетрудоспособности", import_="Загрузка сотрудников",
                    report="ЕФС-1"),
    sheet="Сотрудники",
    clean=[
        ("Не проводится поступление по счёту {inv}",
         "При проведении поступления по счёту {inv} от {supplier} (ИНН {sup_reg}, КПП {sup_kpp}) программа выдаёт "
         "ошибку \"Период закрыт\". Дата {date}, сумма {amount} руб."),
        ("Не выгружается декларация по НДС",
         "Декларация по НДС за {quarter} квартал не выгружается — ошибка {err_code}. В журнале:\n{logline}"),
        ("Ошибка после обновления до {ver}",
         "После обновления до релиза {ver} (сборка {build}) программа падает при запуске. На {ver_old} всё "
         "работало.\n\n{trace}"),
        ("Активация лицензии", "Переустановили сервер, программа просит ключ. Наша лицензия: {lic}, ID установки {guid}."),
        ("Загрузка банковской выписки", "При загрузке выписки {bank} за {date} не совпадает входящий остаток. Наш р/с "
         "{rs}. В выписке {n} операций, загружается только {n2}."),
        ("Остатки на складе не сходятся со счётом {acct}", "На складе \"{wh}\" после инвентаризации {date} остатки не "
         "сходятся со счётом {acct}. Разница {amount} руб."),
        ("Счёт-фактура {inv} — неверный НДС", "При выписке счёта-фактуры {inv} покупателю {customer} (ИНН {cust_vat}) "
         "НДС считается с суммы без скидки. Сумма без НДС {amount} руб., скидка {pct}%."),
        ("Медленно формируется ОСВ", "Оборотно-сальдовая ведомость за {year} год формируется больше 10 минут. "
         "В журнале СУБД запрос:\n\n{sql}"),
        ("План счетов — субсчета к счёту {acct}", "Можно ли добавить субсчета к счёту {acct} без потери истории? "
         "В этом году по нему {n} проводок, последний документ {doc}."),
        ("Вопрос по вашему счёту {vinv}", "Получили ваш счёт {vinv} на {amount} руб. за сопровождение. Входят ли туда "
         "консультации по годовой отчётности? Оплатили с р/с {rs}."),
        ("Не уходят документы в ЭДО", "УПД для {customer} не отправляются, статус \"Ошибка {err_code}\". Последняя "
         "успешная отправка {date} в {time}."),
        ("Амортизация начислена дважды", "По ОС инв. № {asset} амортизация за {month} начислена дважды. Документ {doc}, "
         "сумма {amount} руб."),
        ("Не печатается ТОРГ-12", "При печати накладной {doc} принтер выдаёт пустой лист. Макет \"{tpl}\", релиз {ver}."),
        ("Закрытие года", "При закрытии {year} года программа выдаёт:\n{logline}\nМожно продолжать?"),
        ("Не загружаются курсы валют", "С {date} не загружаются курсы ЦБ. Код ошибки {err_code}, последняя попытка в {time}."),
        ("Изменения законодательства с {year_next} года", "Учтены ли в программе изменения с {year_next} года (НДФЛ, "
         "страховые взносы)? У нас релиз {ver}."),
        ("Заказ {order} не проводится реализацией", "Заказ покупателя {order} от {customer} не получается провести "
         "реализацией — кнопка неактивна. Сумма {amount} руб., дата {date}."),
    ],
    attach_clean=["Во вложении {file}.", "Прикладываю {file}.", "Отправляю {file}."],
    deid=["Персональные данные мы обезличили (СНИЛС → XXX-XXX-XXX XX, ФИО → Сотрудник 1, 2, ...).",
          "Данные обезличены: вместо ФИО \"***\"."],
    template_q=[("Шаблон загрузки сотрудников", "Какой должен быть формат файла загрузки? У нас такие колонки, но "
                 "загрузка не проходит:"), ("Макет расчётного листка", "Хотим изменить макет расчётного листка. Колонки:")],
    notif=[("ФНС: квитанция о приёме", "noreply@nalog.example.ru", "Оператор ЭДО",
            "Квитанция о приёме налоговой декларации (расчёта) в электронной форме.\nРегистрационный номер: {docnum}\n"
            "Дата: {date} {time}\nНалогоплательщик: {client_name}, ИНН/КПП {reg}/{kpp}"),
           ("ЭДО: ошибка доставки", "edo@operator.example.ru", "Оператор ЭДО",
            "Документ {inv} не доставлен.\nИдентификатор: {guid}\nКод ошибки: {err_code}\nВремя: {date_iso} {time}")],
    company=dict(reg_label="ИНН", vat_label="КПП", addr=["ул. Льва Толстого, д. {n}, Москва",
                 "пр-т Ленина, д. {n}, Екатеринбург", "ул. Пушкина, д. {n}, Казань",
                 "наб. Адмирала Макарова, д. {n}, Санкт-Петербург"],
                 suppliers=["ООО «Север»", "АО «Уралсталь»", "ООО «Техснаб»", "ООО «Вектор»", "АО «Волгатранс»"],
                 banks=["Сбербанк", "ВТБ", "Альфа-Банк", "Т-Банк"],
                 warehouses=["Основной склад", "Магазин №2", "Склад Подольск"], templates=["ТОРГ-12 (с логотипом)", "УПД"]),
    inv_fmt=["№ {n}", "{n}/{year}", "УТ-{n:06d}", "КР00-{n:06d}"],
    doc_fmt=["РТ-{n:06d}", "ЗК-{n:05d}", "№ {n:04d}", "ПТ00-{n:06d}"],
    inv_table=dict(no="Номер", date="Дата", partner="Контрагент", reg="ИНН", net="Сумма без НДС", vat="НДС",
                   total="Всего", due="Срок оплаты", sku="Артикул", item="Номенклатура", qty="Количество", unit="Ед.",
                   price="Цена", wh="Склад", account="Счёт", status="Статус"),
    items=["Бумага А4 80г", "Картридж HP 59A", "Стрейч-плёнка", "Саморезы 4x40 (200 шт.)", "Кресло офисное",
           "Кабель UTP Cat6 305м", "Дизельное топливо", "Лицензия (год)", "Кофе 1 кг"],
    statuses=["Оплачен", "Не оплачен", "Оплачен частично", "Проведён"],
    units=["шт.", "кг", "л", "уп."],
    product="Скайтлис: Зарплата и кадры",
    deid_names=["Сотрудник 1", "Сотрудник 2", "Сотрудник 3", "Фамилия Имя Отчество"],
)

EN = dict(
    greet=["Hello,", "Hi,", "Good morning,", "Dear support team,", "Hello support,"],
    sign_off=["Best regards,", "Kind regards,", "Thanks,", "Thank you in advance,", "Regards,"],
    months=["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December"],
    months_g=["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"],
    phone_label=["Tel.", "Phone:"],
    headers=dict(nr="No.", first="Name", last="Surname", full="Full name", position="Position", dept="Department",
                 birth="Date of birth", gross="Gross salary", net="Net pay", tax="Income tax",
                 iban="Bank account (IBAN)", hours="Hours worked", days="Vacation days", start="Start date",
                 phone="Phone", email="E-mail", amount="Amount", tabnr="Employee ID"),
    code_header={"lv-personas-kods": "Personal code", "lt-asmens-kodas": "Personal code", "ro-cnp": "CNP",
                 "sk-rodne-cislo": "Birth number", "cz-rodne-cislo": "Birth number (CZ)", "ee-isikukood": "Isikukood",
                 "pl-pesel": "PESEL", "ru-snils": "SNILS", "ru-inn": "INN"},
    code_label={"lv-personas-kods": ["personal code", "p.k."], "lt-asmens-kodas": ["personal code", "a.k."],
                "ro-cnp": ["CNP", "personal numeric code"], "sk-rodne-cislo": ["birth number", "RČ"],
                "cz-rodne-cislo": ["Czech birth number", "RČ"], "ee-isikukood": ["Estonian ID code", "isikukood"],
                "pl-pesel": ["PESEL"], "ru-snils": ["SNILS"], "ru-inn": ["INN"]},
    pay_issues=[
        ("Wrong income tax in {month} payroll",
         "When calculating the {month} payroll, the program does not apply the tax-free allowance to some employees "
         "although they submitted the forms. Version {ver}."),
        ("Social insurance report rejected",
         "When submitting the monthly social insurance report for {month}, the portal returns \"{err_text}\". It "
         "concerns the employees below."),
        ("Vacation pay calculation", "Vacation pay comes out lower than last year although the salary has not "
         "changed. Please check the average earnings calculation."),
        ("Sick leave certificates not matched", "When importing electronic sick leave certificates, some are not "
         "matched to employees — \"Employee not found\"."),
        ("Salary payment export to bank", "When exporting the {month} salary payments to the bank (pain.001), the "
         "bank rejects the file because of invalid lines."),
        ("Timesheet does not open", "The {month} timesheet does not open — the program freezes. Data attached."),
        ("Duplicate deductions after update", "After updating to {ver}, some employees have the same deduction twice "
         "on the payslip."),
        ("Error when importing employees", "When importing employees from Excel the program shows \"{err_text}\" on "
         "these rows."),
    ],
    err_text=["Invalid personal code format", "Duplicate record", "Employee not found",
              "Field 'Insured person type' is empty", "XML schema validation error"],
    person_lines=[
        "{name} ({cl} {code}) — no income tax withheld in {month}.",
        "Employee {name}, {cl} {code}, is missing from the {month} report.",
        "The problem is with this employee card: {name}, {cl} {code}.",
        "For example, {name} ({code}) is on sick leave from {d1} to {d2}, but the program counts only {n} days.",
        "Another case — {name}, {cl} {code}.",
        "For {name} ({cl} {code}), who left the company, no compensation for unused vacation was calculated.",
        "New employee {name}, {cl} {code}, started on {d1}, but the salary is calculated from the start of the month.",
    ],
    intro_attach=["Attached is {file}, exported from the payroll module.", "Please find {file} attached.",
                  "See the attachment ({file})."],
    intro_table=["Pasting the table from the program:", "Data from the payroll sheet:", "Below is an extract from the report:"],
    intro_fwd=["Forwarding the HR e-mail with the data.", "Forwarding my colleague's message, everything is described there."],
    request=["Could you please help us find the error?", "Can you check and advise?",
             "We would appreciate a quick answer — salaries are paid on {date}.", "Let me know if you need more information."],
    bd_lines=["New employee {name}, born {bd}, does not appear in the employee list after saving.",
              "{name} (date of birth {bd}) is treated as a minor by the program, which is wrong.",
              "The pensioner relief is not applied: {name}, born {bd}."],
    salary_lines=["{name} — gross salary {amt} {cur}, but the program calculates net {amt2} {cur}.",
                  "For example, {name}: gross {amt} {cur}, income tax {tax} {cur}.",
                  "{name} has a monthly salary of {amt} {cur}, but the average daily earnings for vacation pay are only {amt3} {cur}."],
    phone_lines=["If you need details, the contact is {name}, mobile {phone}.",
                 "{name} is on vacation, but can be reached at {phone} if urgent."],
    email_lines=["Please also send the payslip to the employee's private e-mail: {name}, {email}.",
                 "{name} asks for the certificate to be sent to {email}."],
    list_issues=[("Employee list by department", "When printing the employee list by department, positions get mixed "
                  "up — some employees show their previous position."),
                 ("Access rights for new employees", "Below is the list of employees who need access to the expense "
                  "module. Can this be done in bulk?")],
    iban_issues=[("Salary payment file", "The bank rejects the {month} salary file. The list:"),
                 ("Advance payment not generated", "Advance payment orders are not generated for these employees:")],
    agent_reply=["Hello, please send a screenshot of the error and the program version.",
                 "Hello, does the error appear for all users?"],
    reply_header="On {date}, {name} wrote:",
    fwd_header="---------- Forwarded message ---------\nFrom: {sender}\nDate: {date}\nSubject: {subject}\nTo: {to}",
    fwd_subject="Fwd: {subject}",
    reply_subject="Re: {subject}",
    files=dict(pay="payroll_{month_file}", list="employees", bank="salary_payments", vac="vacations", sick="sick_leave",
               import_="employee_import", report="social_report", zip="export"),
    doc_titles=dict(pay="Payroll sheet", list="Employee list", bank="Salary payment list", vac="Vacation schedule",
                    sick="Sick leave certificates", import_="Employee import", report="Social insurance report"),
    sheet="Employees",
    clean=[
        ("Cannot post invoice {inv}", "When posting purchase invoice {inv} from {supplier} (reg. no. {sup_reg}, VAT "
         "{sup_vat}), the program says \"Period is closed\". Invoice date {date}, amount {amount} {cur}."),
        ("VAT return export fails", "The VAT return for {month} cannot be exported — error {err_code}. Log:\n{logline}"),
        ("Error after update to {ver}", "After updating to {ver} (build {build}) the program crashes on start. "
         "Version {ver_old} worked fine.\n\n{trace}"),
        ("License activation", "We reinstalled the server and the program asks for a license key. Our license: {lic}, "
         "installation ID {guid}."),
        ("Bank statement import", "Importing the {bank} statement (camt.053) for {date}, the opening balance does not "
         "match. Account {iban_co}. The statement has {n} transactions, only {n2} are imported."),
        ("Stock does not match account {acct}", "In warehouse \"{wh}\" after the stock-take on {date}, the balance "
         "does not match account {acct}. Difference {amount} {cur}."),
        ("Invoice {inv} — wrong VAT", "Issuing invoice {inv} to {customer} (VAT {cust_vat}), VAT is calculated before "
         "the discount. Net {amount} {cur}, discount {pct}%."),
        ("Balance sheet is slow", "The {year} balance sheet takes more than 10 minutes. The database log shows:\n\n{sql}"),
        ("Your invoice {vinv}", "We received your invoice {vinv} for {amount} {cur} for support in {month}. Does it "
         "include the year-end consultations? We paid from {iban_co}."),
        ("E-invoices are not sent", "E-invoices to {customer} are not sent, status \"Error {err_code}\". Last "
         "successful send {date} at {time}."),
        ("Year-end closing", "Closing {year}, the program reports:\n{logline}\nCan we continue?"),
        ("Order {order} cannot be invoiced", "Order {order} from {customer} cannot be turned into an invoice — the "
         "button is disabled. Amount {amount} {cur}, date {date}."),
        ("Tax changes from {year_next}", "Does the program already include the {year_next} changes to the tax-free "
         "allowance and rates? We run {ver}."),
    ],
    attach_clean=["Attached: {file}.", "Please find {file} attached."],
    deid=["We have de-identified the data (personal codes → XXXXXX-XXXXX, names → Employee 1, 2, ...).",
          "The data is anonymised: names replaced with \"***\"."],
    template_q=[("Employee import template", "What format should the import file have? We have these columns but "
                 "the import fails:"), ("Payslip template", "We want to change the payslip template. Columns:")],
    notif=[("Delivery Status Notification (Failure)", "mailer-daemon@mail.example.net", "Mail Delivery Subsystem",
            "Your message to invoices@{customer_domain} couldn't be delivered.\nRemote server returned "
            "'550 5.1.1 User unknown'\nReporting-MTA: dns; mx2.example.net\nArrival-Date: {date_iso} {time}\n"
            "Message-ID: <{guid}@{domain}>"),
           ("Scheduled backup failed", "backup@nas.example.net", "NAS backup",
            "Task 'Skaitlis DB nightly' failed at {date_iso} {time}.\nExit code {err_code}\nJob ID {guid}\n"
            "Volume /volume1/backup: 91% used")],
    inv_table=dict(no="Invoice no.", date="Date", partner="Partner", reg="Reg. no.", net="Net", vat="VAT",
                   total="Total", due="Due date", sku="SKU", item="Item", qty="Qty", unit="Unit", price="Price",
                   wh="Warehouse", account="Account", status="Status"),
    items=["Paper A4 80g", "Toner HP 59A", "Stretch film", "Screws 4x40 (200 pcs)", "Office chair",
           "Cable Cat6 305m", "Diesel", "License (year)", "Coffee 1 kg"],
    statuses=["Paid", "Unpaid", "Partly paid", "Posted"],
    units=["pcs", "kg", "l", "pack"],
    product="Skaitlis Payroll",
    deid_names=["Employee 1", "Employee 2", "Employee 3", "Name Surname"],
)
