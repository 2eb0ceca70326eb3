"""Small lists the demo generator draws from: names, streets, towns, courts, prisons, offences.

Everything here is shipped as Python data so that the generator needs nothing but the standard
library and a seed. Names are common given names and surnames combined at random, so no
generated person is anyone; towns, postcode districts, courts, prisons and hospitals are real
places (an address needs a plausible town and postcode area for its force), but every house
number, street and postcode unit is drawn at random and belongs to no one.
"""

from __future__ import annotations

from typing import NamedTuple

MALE_GIVEN = (
    "James John David Michael Paul Mark Andrew Richard Robert Peter Stephen Christopher Daniel "
    "Thomas Matthew Anthony Gary Kevin Lee Darren Wayne Craig Dean Shaun Carl Neil Ian Simon "
    "Martin Philip Jason Stuart Adam Ryan Liam Jamie Scott Luke Nathan Karl Graham Colin Barry "
    "Keith Trevor Derek Raymond Brian Alan Terence Dennis Leslie Kenneth Gordon Norman Roy "
    "George William Harry Jack Joseph Samuel Connor Callum Kieran Jordan Bradley Ashley Aaron "
    "Mohammed Imran Tariq Asif Zahid Kamran Rajesh Sanjay Amit Harjit Gurpreet Sukhvinder "
    "Tomasz Piotr Marek Andrzej Ionut Florin Marius Darius Kwame Tunde Emeka Delroy Winston "
    "Errol Patrick Sean Declan Gareth Rhys Owen Dylan Huw Aled"
).split()
FEMALE_GIVEN = (
    "Susan Karen Julie Tracey Deborah Sarah Michelle Lisa Donna Nicola Amanda Claire Joanne "
    "Kelly Emma Rachel Samantha Laura Gemma Hayley Jane Margaret Linda Patricia Shabana Nasreen "
    "Agnieszka Bethan Sian"
).split()
SECOND_GIVEN = (
    "John James Paul Michael David Lee Anthony Edward Francis Robert Alan Thomas Joseph "
    "Christopher Peter William Arthur George Andrew Mark"
).split()
FEMALE_SECOND = "Ann Louise Marie Jane Elizabeth Anne Michelle Dawn".split()
SURNAMES = (
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson "
    "Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan "
    "Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell "
    "Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan "
    "Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb "
    "Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes "
    "Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham "
    "Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders "
    "Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer Gill Dawson "
    "Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes "
    "Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn "
    "Woods Parsons Berry Stone Reid Holland Hawkins Harding Porter Robertson Newton Oliver "
    "Reed Kennedy Williamson Bird Gardner Shah Dean Lane Cooke Bates Henderson Parry Burgess "
    "Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nowak Kowalski "
    "Wisniewski Popescu Ionescu Okafor Mensah Adeyemi Campbell Sharma Chaudhry Mahmood Iqbal"
).split()
STREET_FIRST = (
    "Church Mill Station Park Victoria Albert Queens Kings Oak Elm Ash Beech Cedar Willow "
    "Hawthorn Meadow Brook Orchard Manor Grange Chapel School Green High Castle Bridge Windsor "
    "York Stanley Cromwell Nelson Gladstone Springfield Highfield Fairfield Westfield Northfield "
    "Rose Holly Ivy Laburnum Chestnut Sycamore Poplar Birch Larch Heather Fern Primrose Lime "
    "Milton Shelley Byron Tennyson Chaucer Wordsworth Coronation Jubilee Alexandra Clarence "
    "Harcourt Belgrave Somerset Devon Cornwall Beaumont Hollybush Foxhill Mayfield Woodland"
).split()
STREET_SECOND = (
    "Road Road Road Street Street Avenue Close Lane Drive Grove Crescent Way Place Gardens "
    "Terrace Walk Court View Rise"
).split()
#: Places where someone with no fixed abode can regularly be found (s.83(7)).
REGULAR_PLACES = (
    "Doorway of the former library, {street}",
    "Day centre, {street}",
    "Night shelter, {street}",
    "Bench by the bus station, {street}",
    "Tent by the canal towpath near {street}",
)

COUNTRIES = (
    "Spain", "Poland", "Romania", "Ireland", "France", "Portugal", "Pakistan", "India",
    "Thailand", "Philippines", "Jamaica", "Lithuania", "Turkey", "Netherlands", "Cyprus",
    "Bangladesh", "Nigeria", "Greece", "Germany", "Cambodia",
)
#: Countries for the "believed abroad" missing: weighted to where published answers point.
ABROAD_COUNTRIES = (
    "Poland", "Romania", "Ireland", "Spain", "Pakistan", "Lithuania", "Thailand", "Jamaica",
    "India", "Philippines", "Portugal", "Cambodia",
)

PRISONS = (
    "HMP Birmingham", "HMP Stafford", "HMP Featherstone", "HMP Whatton", "HMP Usk",
    "HMP Littlehey", "HMP Bure", "HMP Isle of Wight", "HMP Rye Hill", "HMP Ashfield",
    "HMP Wakefield", "HMP Frankland", "HMP Full Sutton", "HMP Dartmoor", "HMP Channings Wood",
    "HMP Erlestoke", "HMP Leyhill", "HMP Swaleside", "HMP Hewell", "HMP Oakwood",
    "HMP Stocken", "HMP Nottingham", "HMP Manchester", "HMP Liverpool", "HMP Bristol",
)
YOUNG_OFFENDER_INSTITUTIONS = ("HMYOI Werrington", "HMYOI Wetherby", "HMYOI Feltham",
                               "HMYOI Cookham Wood", "HMYOI Parc")
SECURE_HOSPITALS = ("Rampton Hospital", "Broadmoor Hospital", "Ashworth Hospital",
                    "Reaside Clinic", "Arnold Lodge", "St Andrew's Hospital, Northampton")
LOCAL_HOSPITALS = ("the local psychiatric unit", "a medium secure unit", "a low secure unit")


class Offence(NamedTuple):
    text: str
    #: First and last relevant dates for which the offence text is right (ISO, inclusive).
    from_date: str
    to_date: str


_OLD = ("1900-01-01", "2004-04-30")  # Sexual Offences Act 1956 and friends, before SOA 2003
_NEW = ("2004-05-01", "2099-12-31")  # SOA 2003 Part 1 in force 1 May 2004

#: Offences by seriousness band; each is a Schedule 3 offence for the disposals drawn with it
#: (see the domain reference §2.2; the conditions are met by the generator's choice of band).
OFFENCES: dict[str, tuple[Offence, ...]] = {
    "grave": (
        Offence("SOA 2003 s.1 rape", *_NEW),
        Offence("SOA 2003 s.2 assault by penetration", *_NEW),
        Offence("SOA 2003 s.5 rape of a child under 13", *_NEW),
        Offence("SOA 2003 s.6 assault of a child under 13 by penetration", *_NEW),
        Offence("SOA 2003 s.9 sexual activity with a child", *_NEW),
        Offence("SOA 2003 s.10 causing or inciting a child to engage in sexual activity", *_NEW),
        Offence("SOA 1956 s.1 rape", *_OLD),
        Offence("SOA 1956 s.14 indecent assault on a woman", *_OLD),
        Offence("SOA 1956 s.5 intercourse with a girl under 13", *_OLD),
        Offence("Indecency with Children Act 1960 s.1 gross indecency with a child", *_OLD),
    ),
    "middle": (
        Offence("SOA 2003 s.3 sexual assault", *_NEW),
        Offence("SOA 2003 s.7 sexual assault of a child under 13", *_NEW),
        Offence("SOA 2003 s.9 sexual activity with a child", *_NEW),
        Offence("SOA 2003 s.15 meeting a child following sexual grooming", *_NEW),
        Offence("Protection of Children Act 1978 s.1 making indecent photographs of children",
                *_NEW),
        Offence("SOA 1956 s.14 indecent assault on a woman", *_OLD),
        Offence("SOA 1956 s.15 indecent assault on a man", *_OLD),
        Offence("Protection of Children Act 1978 s.1 taking indecent photographs of children",
                *_OLD),
    ),
    "lesser": (
        Offence("SOA 2003 s.3 sexual assault", *_NEW),
        Offence("SOA 2003 s.66 exposure", *_NEW),
        Offence("SOA 2003 s.67 voyeurism", *_NEW),
        Offence("Criminal Justice Act 1988 s.160 possession of indecent photographs of children",
                *_NEW),
        Offence("Protection of Children Act 1978 s.1 making indecent photographs of children",
                *_NEW),
        Offence("SOA 1956 s.14 indecent assault on a woman", *_OLD),
        Offence("Criminal Justice Act 1988 s.160 possession of indecent photographs of children",
                *_OLD),
    ),
    # Under 18 at the offence: only offences notifiable whatever the sentence (Sch.3 paras 1-4
    # and the under-13 offences), or any offence with 12 months or more (drawn as "grave").
    "youth": (
        Offence("SOA 2003 s.5 rape of a child under 13", *_NEW),
        Offence("SOA 2003 s.6 assault of a child under 13 by penetration", *_NEW),
        Offence("SOA 2003 s.2 assault by penetration", *_NEW),
        Offence("SOA 2003 s.1 rape", *_NEW),
        Offence("SOA 1956 s.1 rape", *_OLD),
        Offence("SOA 1956 s.5 intercourse with a girl under 13", *_OLD),
    ),
}


class Place(NamedTuple):
    """A force area's towns (with postcode districts) and court centres."""

    prefix: str
    towns: tuple[tuple[str, tuple[str, ...]], ...]
    crown_courts: tuple[str, ...]


def _towns(spec: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``"Town: D1 D2; Other Town: D3"`` -> ((town, (districts...)), ...)."""
    out = []
    for part in spec.split(";"):
        town, districts = part.split(":")
        out.append((town.strip(), tuple(districts.split())))
    return tuple(out)


def _place(prefix: str, towns: str, courts: str) -> Place:
    return Place(prefix, _towns(towns), tuple(c.strip() for c in courts.split(",")))


#: Per force: reference prefix, towns with postcode districts, and Crown Court centres
#: (a bare town means "<town> Crown Court"). Keyed by the forces.csv slug.
PLACES: dict[str, Place] = {
    "avon-and-somerset": _place(
        "AS", "Bristol: BS1 BS2 BS3 BS4 BS5 BS7 BS10 BS13 BS16; Bath: BA1 BA2; "
        "Weston-super-Mare: BS22 BS23 BS24; Taunton: TA1 TA2; Yeovil: BA20 BA21; "
        "Bridgwater: TA6", "Bristol, Taunton"),
    "bedfordshire": _place(
        "BE", "Luton: LU1 LU2 LU3 LU4; Bedford: MK40 MK41 MK42; Dunstable: LU5 LU6; "
        "Leighton Buzzard: LU7", "Luton"),
    "cambridgeshire": _place(
        "CA", "Cambridge: CB1 CB2 CB4 CB5; Peterborough: PE1 PE2 PE3 PE4; Huntingdon: PE29; "
        "Wisbech: PE13; Ely: CB6", "Cambridge, Peterborough"),
    "cheshire": _place(
        "CH", "Chester: CH1 CH2 CH3 CH4; Warrington: WA1 WA2 WA4 WA5; Crewe: CW1 CW2; "
        "Macclesfield: SK10 SK11; Runcorn: WA7; Widnes: WA8", "Chester, Warrington"),
    "city-of-london": _place(
        "CL", "London: EC1A EC2M EC2V EC3N EC4M", "Central Criminal Court, Southwark"),
    "cleveland": _place(
        "CV", "Middlesbrough: TS1 TS3 TS4 TS5; Hartlepool: TS24 TS25 TS26; "
        "Stockton-on-Tees: TS18 TS19 TS20; Redcar: TS10", "Teesside"),
    "cumbria": _place(
        "CU", "Carlisle: CA1 CA2 CA3; Barrow-in-Furness: LA13 LA14; Kendal: LA9; "
        "Workington: CA14; Whitehaven: CA28", "Carlisle"),
    "derbyshire": _place(
        "DE", "Derby: DE1 DE21 DE22 DE23 DE24; Chesterfield: S40 S41; Ilkeston: DE7; "
        "Buxton: SK17; Swadlincote: DE11", "Derby"),
    "devon-and-cornwall": _place(
        "DC", "Plymouth: PL1 PL2 PL4 PL5 PL6; Exeter: EX1 EX2 EX4; Torquay: TQ1 TQ2; "
        "Truro: TR1; Barnstaple: EX31; Newquay: TR7; Camborne: TR14", "Exeter, Plymouth, Truro"),
    "dorset": _place(
        "DO", "Bournemouth: BH1 BH7 BH8 BH9 BH11; Poole: BH12 BH14 BH15 BH17; "
        "Weymouth: DT3 DT4; Dorchester: DT1", "Bournemouth, Dorchester"),
    "durham": _place(
        "DU", "Durham: DH1; Darlington: DL1 DL2 DL3; Chester-le-Street: DH2 DH3; Peterlee: SR8; "
        "Bishop Auckland: DL14; Consett: DH8", "Durham"),
    "essex": _place(
        "EX", "Chelmsford: CM1 CM2; Southend-on-Sea: SS1 SS2; Colchester: CO1 CO2 CO4; "
        "Basildon: SS13 SS14 SS15 SS16; Harlow: CM18 CM19 CM20; Clacton-on-Sea: CO15",
        "Chelmsford, Southend, Basildon"),
    "gloucestershire": _place(
        "GL", "Gloucester: GL1 GL2 GL3 GL4; Cheltenham: GL50 GL51 GL52 GL53; Stroud: GL5; "
        "Tewkesbury: GL20", "Gloucester"),
    "greater-manchester": _place(
        "GM", "Manchester: M8 M9 M11 M12 M13 M14 M16 M22 M40; Salford: M5 M6 M7; "
        "Bolton: BL1 BL2 BL3; Wigan: WN1 WN2 WN3; Oldham: OL1 OL4 OL8; Stockport: SK1 SK2 SK3 "
        "SK5; Rochdale: OL11 OL12; Bury: BL8 BL9", "Manchester, Bolton"),
    "hampshire": _place(
        "HA", "Southampton: SO14 SO15 SO16 SO17 SO18 SO19; Portsmouth: PO1 PO2 PO3 PO4 PO6; "
        "Basingstoke: RG21 RG22 RG24; Winchester: SO22 SO23; Newport: PO30; Aldershot: GU11 GU12; "
        "Andover: SP10", "Winchester, Southampton, Portsmouth"),
    "hertfordshire": _place(
        "HE", "Watford: WD17 WD18 WD19 WD24 WD25; St Albans: AL1 AL3 AL4; Stevenage: SG1 SG2; "
        "Hemel Hempstead: HP1 HP2 HP3; Hatfield: AL9 AL10; Hitchin: SG4 SG5", "St Albans"),
    "humberside": _place(
        "HU", "Hull: HU1 HU3 HU4 HU5 HU6 HU7 HU8 HU9; Grimsby: DN31 DN32 DN33 DN34; "
        "Scunthorpe: DN15 DN16 DN17; Bridlington: YO15 YO16; Goole: DN14", "Hull, Grimsby"),
    "kent": _place(
        "KE", "Maidstone: ME14 ME15 ME16; Canterbury: CT1 CT2; Chatham: ME4 ME5; Margate: CT9; "
        "Dover: CT16 CT17; Ashford: TN23 TN24 TN25; Gravesend: DA11 DA12", "Maidstone, Canterbury"),
    "lancashire": _place(
        "LA", "Preston: PR1 PR2; Blackpool: FY1 FY2 FY3 FY4; Blackburn: BB1 BB2; "
        "Burnley: BB10 BB11 BB12; Lancaster: LA1; Accrington: BB5; Morecambe: LA3 LA4",
        "Preston, Lancaster, Burnley"),
    "leicestershire": _place(
        "LE", "Leicester: LE1 LE2 LE3 LE4 LE5; Loughborough: LE11; Hinckley: LE10; "
        "Coalville: LE67; Melton Mowbray: LE13", "Leicester"),
    "lincolnshire": _place(
        "LI", "Lincoln: LN1 LN2 LN5 LN6; Grantham: NG31; Boston: PE21; Skegness: PE25; "
        "Spalding: PE11", "Lincoln"),
    "merseyside": _place(
        "ME", "Liverpool: L4 L5 L6 L8 L11 L13 L15 L24; Birkenhead: CH41 CH42; "
        "St Helens: WA9 WA10; Southport: PR8 PR9; Bootle: L20", "Liverpool"),
    "metropolitan": _place(
        "MP", "Croydon: CR0; Lewisham: SE13; Hackney: E8; Newham: E13 E15; Brent: NW10; "
        "Lambeth: SW2 SW9; Southwark: SE5 SE15; Tower Hamlets: E1 E3; Ealing: W5 W13; "
        "Haringey: N17; Barnet: N11 N12; Enfield: EN1 EN3; Hounslow: TW3; Romford: RM1 RM7; "
        "Ilford: IG1; Wandsworth: SW18; Islington: N7",
        "Snaresbrook, Wood Green, Isleworth, Croydon, Inner London, Southwark, Woolwich, Harrow"),
    "norfolk": _place(
        "NK", "Norwich: NR1 NR2 NR3 NR5 NR7; Great Yarmouth: NR30 NR31; King's Lynn: PE30; "
        "Thetford: IP24; Dereham: NR19", "Norwich"),
    "north-yorkshire": _place(
        "NY", "York: YO10 YO24 YO26 YO30 YO31; Scarborough: YO11 YO12; Harrogate: HG1 HG2; "
        "Selby: YO8; Northallerton: DL6 DL7", "York"),
    "northamptonshire": _place(
        "NH", "Northampton: NN1 NN2 NN3 NN4 NN5; Kettering: NN15 NN16; Corby: NN17 NN18; "
        "Wellingborough: NN8; Daventry: NN11", "Northampton"),
    "northumbria": _place(
        "NU", "Newcastle upon Tyne: NE4 NE5 NE6 NE15; Sunderland: SR1 SR2 SR4 SR5; "
        "Gateshead: NE8 NE9 NE10; South Shields: NE33 NE34; North Shields: NE29 NE30; "
        "Blyth: NE24; Ashington: NE63", "Newcastle"),
    "nottinghamshire": _place(
        "NT", "Nottingham: NG1 NG2 NG3 NG5 NG6 NG7 NG8 NG11; Mansfield: NG18 NG19 NG21; "
        "Newark-on-Trent: NG24; Worksop: S80 S81; Sutton-in-Ashfield: NG17", "Nottingham"),
    "south-yorkshire": _place(
        "SY", "Sheffield: S2 S3 S5 S6 S8 S9 S13 S14; Doncaster: DN1 DN2 DN4 DN5; "
        "Rotherham: S60 S61 S65 S66; Barnsley: S70 S71 S75", "Sheffield, Doncaster"),
    "staffordshire": _place(
        "ST", "Stoke-on-Trent: ST1 ST2 ST3 ST4 ST6; Stafford: ST16 ST17; "
        "Burton upon Trent: DE13 DE14 DE15; Tamworth: B77 B78 B79; Cannock: WS11 WS12; "
        "Newcastle-under-Lyme: ST5; Lichfield: WS13 WS14; Leek: ST13", "Stafford, Stoke-on-Trent"),
    "suffolk": _place(
        "SU", "Ipswich: IP1 IP2 IP3 IP4; Bury St Edmunds: IP32 IP33; Lowestoft: NR32 NR33; "
        "Felixstowe: IP11; Sudbury: CO10", "Ipswich"),
    "surrey": _place(
        "SR", "Guildford: GU1 GU2; Woking: GU21 GU22; Staines-upon-Thames: TW18; "
        "Epsom: KT17 KT18 KT19; Redhill: RH1; Camberley: GU15", "Guildford"),
    "sussex": _place(
        "SX", "Brighton: BN1 BN2; Crawley: RH10 RH11; Worthing: BN11 BN12 BN13 BN14; "
        "Eastbourne: BN20 BN21 BN22 BN23; Hastings: TN34 TN35; Chichester: PO19; "
        "Bognor Regis: PO21 PO22", "Lewes, Hove, Chichester"),
    "thames-valley": _place(
        "TV", "Reading: RG1 RG2 RG30; Oxford: OX1 OX2 OX3 OX4; Milton Keynes: MK1 MK6 MK9 MK13; "
        "Slough: SL1 SL2 SL3; High Wycombe: HP11 HP12 HP13; Aylesbury: HP19 HP20 HP21; "
        "Banbury: OX16", "Reading, Oxford, Aylesbury"),
    "warwickshire": _place(
        "WA", "Nuneaton: CV10 CV11; Rugby: CV21 CV22; Leamington Spa: CV31 CV32; Warwick: CV34; "
        "Stratford-upon-Avon: CV37; Bedworth: CV12", "Warwick"),
    "west-mercia": _place(
        "WR", "Worcester: WR1 WR2 WR3 WR4 WR5; Telford: TF1 TF2 TF3 TF7; "
        "Shrewsbury: SY1 SY2 SY3; Hereford: HR1 HR2 HR4; Kidderminster: DY10 DY11; "
        "Redditch: B97 B98; Bromsgrove: B60 B61", "Worcester, Shrewsbury, Hereford"),
    "west-midlands": _place(
        "WM", "Birmingham: B5 B6 B8 B9 B10 B11 B12 B19 B20 B21 B23 B24 B31 B33 B36 B44; "
        "Coventry: CV1 CV2 CV3 CV4 CV5 CV6; Wolverhampton: WV1 WV2 WV3 WV4 WV10 WV11; "
        "Walsall: WS1 WS2 WS3 WS5; Dudley: DY1 DY2 DY3; West Bromwich: B70 B71; "
        "Solihull: B90 B91 B92; Sutton Coldfield: B72 B73 B75 B76; Stourbridge: DY8 DY9; "
        "Halesowen: B62 B63", "Birmingham, Wolverhampton, Coventry"),
    "west-yorkshire": _place(
        "WY", "Leeds: LS6 LS7 LS8 LS9 LS11 LS12 LS14 LS28; Bradford: BD3 BD4 BD5 BD7 BD8 BD10; "
        "Huddersfield: HD1 HD2 HD4 HD5; Wakefield: WF1 WF2; Halifax: HX1 HX2 HX3; "
        "Dewsbury: WF12 WF13; Keighley: BD21", "Leeds, Bradford"),
    "wiltshire": _place(
        "WI", "Swindon: SN1 SN2 SN3 SN5; Salisbury: SP1 SP2; Chippenham: SN14 SN15; "
        "Trowbridge: BA14; Devizes: SN10", "Salisbury, Swindon"),
    "dyfed-powys": _place(
        "DP", "Llanelli: SA14 SA15; Carmarthen: SA31; Aberystwyth: SY23; "
        "Haverfordwest: SA61 SA62; Newtown: SY16; Brecon: LD3", "Swansea, Carmarthen"),
    "gwent": _place(
        "GW", "Newport: NP19 NP20; Cwmbran: NP44; Ebbw Vale: NP23; Pontypool: NP4; "
        "Caerphilly: CF83; Abergavenny: NP7", "Newport, Cardiff"),
    "north-wales": _place(
        "NW", "Wrexham: LL11 LL12 LL13; Rhyl: LL18; Bangor: LL57; Colwyn Bay: LL29; "
        "Caernarfon: LL55; Mold: CH7", "Mold, Caernarfon"),
    "south-wales": _place(
        "SW", "Cardiff: CF5 CF10 CF11 CF14 CF24; Swansea: SA1 SA2 SA5 SA6; Bridgend: CF31; "
        "Merthyr Tydfil: CF47; Barry: CF62 CF63; Port Talbot: SA12 SA13; Pontypridd: CF37",
        "Cardiff, Swansea, Merthyr Tydfil"),
}


def crown_court(name: str) -> str:
    """``"Birmingham"`` -> ``"Birmingham Crown Court"``; full names are kept."""
    return name if "Court" in name else f"{name} Crown Court"
