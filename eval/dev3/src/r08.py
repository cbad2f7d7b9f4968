from common import *
stem="08_south-wales"; R=f"{OUT}/replies/{stem}.txt"
bands=[("Under 13","0-12",31),("13 to 15","13-15",88),("16 to 17","16-17",19),("Unknown","unknown",6)]
cells="Age band / Band oedran |\nVictims / Dioddefwyr |\n"+"".join(f"{a} |\n{c} |\n" for a,_,c in bands)+"Total / Cyfanswm |\n144 |\n"
t=f"""Heddlu De Cymru / South Wales Police
Cais Rhyddid Gwybodaeth / Freedom of Information Request
Cyfeirnod / Reference: FOI/2023/1588
Dyddiad / Date: 30/08/2023

Annwyl Ymgeisydd,
Diolch am eich cais. Yn ystod blwyddyn ariannol 2022/23 cofnododd Heddlu De Cymru 151 o droseddau cyfathrebu rhywiol gyda phlentyn (cod y Swyddfa Gartref 7117).

Dear Applicant,
Thank you for your request. During the financial year 2022/23 South Wales Police recorded 151 crimes of sexual communication with a child (Home Office code 7117).
Some crimes have more than one victim and some victims were linked to more than one crime, so the victim total differs from the crime total.

Dioddefwyr yn ôl oedran / Victims by age at the time of the offence (1 April 2022 - 31 March 2023)

{cells}
Y dioddefwr ieuengaf oedd merch 9 oed. / The youngest victim was a girl aged 9.

Section 15A of the Sexual Offences Act 2003 came into force on 3 April 2017. For help call 101.
Rheolwr Datgelu / Disclosure Manager
"""
open(R,"w").write(t)
p=FY(2022)
gold(stem,force="South Wales Police",reference="FOI/2023/1588",response_date="2023-08-30",outcome="full",offence_codes=["71/17"],
 offences=[off(p,151)],victims=[cell(p,"all",a,c) for _,a,c in bands],youngest_victim={"age_min":9,"age_max":9,"gender":"female","withheld":False},
 caveats=["Bilingual; Welsh and English sentences state the same 151 once each (one fact).","Victim total 144 differs from crimes 151 by design."])
