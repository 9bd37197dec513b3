"""Country code crosswalk: ISO 3166 alpha-3, ISO numeric, FIPS 10-4 and Gleditsch-Ward numbers.

GDELT places are FIPS 10-4 coded, ACLED gives ISO numeric codes, UCDP GED
Gleditsch-Ward numbers; the model uses ISO alpha-3.

- :data:`FIPS_TO_ISO3` covers every FIPS 10-4 country code GDELT uses that
  has an ISO 3166-1 country (247 codes: states, dependencies and
  territories; the Gaza Strip ``GZ`` and the West Bank ``WE`` are both
  ``PSE``).  :data:`FIPS_NO_ISO3` lists the FIPS codes GDELT uses that have
  none (oceans, undersea features, disputed or minor islands, sovereign base
  areas, and the retired or unofficial ``NT`` Netherlands Antilles, ``YI``
  Serbia and Montenegro, ``KV`` Kosovo).
- :data:`NUMERIC_TO_ISO3` and :data:`GW_TO_ISO3` cover the Americas, Europe's
  larger states and the states most often named in the crises the library
  ships.

A code a table lacks is kept as it is and counted in the import summary
(``note``), never guessed.
"""

from __future__ import annotations

__all__ = ["FIPS_NO_ISO3", "FIPS_TO_ISO3", "GW_TO_ISO3", "NUMERIC_TO_ISO3"]

# iso3, iso numeric, fips 10-4, gleditsch-ward
_ROWS = """
USA 840 US 2
CAN 124 CA 20
CUB 192 CU 40
HTI 332 HA 41
DOM 214 DR 42
JAM 388 JM 51
TTO 780 TD 52
BRB 052 BB 53
MEX 484 MX 70
GTM 320 GT 90
HND 340 HO 91
SLV 222 ES 92
NIC 558 NU 93
CRI 188 CS 94
PAN 591 PM 95
COL 170 CO 100
VEN 862 VE 101
GUY 328 GY 110
SUR 740 NS 115
ECU 218 EC 130
PER 604 PE 135
BRA 076 BR 140
BOL 068 BL 145
PRY 600 PA 150
CHL 152 CI 155
ARG 032 AR 160
URY 858 UY 165
GBR 826 UK 200
IRL 372 EI 205
NLD 528 NL 210
BEL 056 BE 211
FRA 250 FR 220
CHE 756 SZ 225
ESP 724 SP 230
PRT 620 PO 235
DEU 276 GM 260
POL 616 PL 290
AUT 040 AU 305
HUN 348 HU 310
CZE 203 EZ 316
ITA 380 IT 325
GRC 300 GR 350
ROU 642 RO 360
RUS 643 RS 365
UKR 804 UP 369
SWE 752 SW 380
NOR 578 NO 385
DNK 208 DA 390
FIN 246 FI 375
TUR 792 TU 640
IRN 364 IR 630
IRQ 368 IZ 645
SYR 760 SY 652
ISR 376 IS 666
EGY 818 EG 651
SAU 682 SA 670
NGA 566 NI 475
ZAF 710 SF 560
KEN 404 KE 501
ETH 231 ET 530
COD 180 CG 490
CHN 156 CH 710
IND 356 IN 750
PAK 586 PK 770
JPN 392 JA 740
KOR 410 KS 732
PRK 408 KN 731
IDN 360 ID 850
PHL 608 RP 840
AUS 036 AS 900
"""

NUMERIC_TO_ISO3: dict[str, str] = {}
FIPS_TO_ISO3: dict[str, str] = {}
GW_TO_ISO3: dict[str, str] = {}
for _row in _ROWS.split("\n"):
    if _row.strip():
        _iso3, _num, _fips, _gw = _row.split()
        NUMERIC_TO_ISO3[str(int(_num))] = _iso3
        FIPS_TO_ISO3[_fips] = _iso3
        GW_TO_ISO3[_gw] = _iso3

# fips 10-4 -> iso3, for the codes the rows above do not hold
_FIPS = """
AA ABW  AC ATG  AE ARE  AF AFG  AG DZA  AJ AZE  AL ALB  AM ARM  AN AND  AO AGO
AQ ASM  AV AIA  AY ATA  BA BHR  BC BWA  BD BMU  BF BHS  BG BGD  BH BLZ  BK BIH
BM MMR  BN BEN  BO BLR  BP SLB  BT BTN  BU BGR  BV BVT  BX BRN  BY BDI  CB KHM
CD TCD  CE LKA  CF COG  CJ CYM  CK CCK  CM CMR  CN COM  CQ MNP  CT CAF  CV CPV
CW COK  CY CYP  DJ DJI  DO DMA  EK GNQ  EN EST  ER ERI  FG GUF  FJ FJI  FK FLK
FM FSM  FO FRO  FP PYF  FS ATF  GA GMB  GB GAB  GG GEO  GH GHA  GI GIB  GJ GRD
GK GGY  GL GRL  GP GLP  GQ GUM  GV GIN  GZ PSE  HK HKG  HM HMD  HR HRV  IC ISL
IM IMN  IO IOT  IV CIV  JE JEY  JO JOR  KG KGZ  KR KIR  KT CXR  KU KWT  KZ KAZ
LA LAO  LE LBN  LG LVA  LH LTU  LI LBR  LO SVK  LS LIE  LT LSO  LU LUX  LY LBY
MA MDG  MB MTQ  MC MAC  MD MDA  MF MYT  MG MNG  MH MSR  MI MWI  MJ MNE  MK MKD
ML MLI  MN MCO  MO MAR  MP MUS  MR MRT  MT MLT  MU OMN  MV MDV  MY MYS  MZ MOZ
NC NCL  NE NIU  NF NFK  NG NER  NH VUT  NN SXM  NP NPL  NR NRU  NZ NZL  OD SSD
PC PCN  PP PNG  PS PLW  PU GNB  QA QAT  RE REU  RI SRB  RM MHL  RN MAF  RQ PRI
RW RWA  SB SPM  SC KNA  SE SYC  SG SEN  SH SHN  SI SVN  SL SLE  SM SMR  SN SGP
SO SOM  ST LCA  SU SDN  SV SJM  SX SGS  TB BLM  TH THA  TI TJK  TK TCA  TL TKL
TN TON  TO TGO  TP STP  TS TUN  TT TLS  TV TUV  TW TWN  TX TKM  TZ TZA  UC CUW
UG UGA  UV BFA  UZ UZB  VC VCT  VI VGB  VM VNM  VQ VIR  VT VAT  WA NAM  WE PSE
WF WLF  WI ESH  WS WSM  WZ SWZ  YM YEM  ZA ZMB  ZI ZWE
"""
_pairs = _FIPS.split()
for _fips, _iso3 in zip(_pairs[::2], _pairs[1::2], strict=True):
    FIPS_TO_ISO3[_fips] = _iso3

#: FIPS 10-4 codes GDELT uses that name no ISO 3166-1 country.
FIPS_NO_ISO3 = frozenset((
    "AT", "AX", "BQ", "BS", "CR", "DQ", "DX", "EU", "FQ", "GO", "HQ", "IP", "JN", "JQ", "JU",
    "KQ", "KV", "LQ", "MQ", "NM", "NT", "OS", "PF", "PG", "PJ", "TE", "UF", "UU", "WQ", "YI",
))
