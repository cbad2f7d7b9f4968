from common import *; import pymupdf as fitz
stem="10_northamptonshire"; R=f"{OUT}/replies/{stem}.pdf"
doc=fitz.open(); p=doc.new_page(width=595,height=842)
p.insert_textbox(fitz.Rect(40,40,555,110),"NORTHAMPTONSHIRE POLICE\nFreedom of Information Act 2000 - Response\nReference Number: FOI/00654/22        Date of response: 11 May 2022",fontname="helv",fontsize=10)
left="""Request
You asked how many crimes of sexual communication with a child were recorded in each of the last two financial years, the age and sex of the youngest victim, and whether any suspects were serving police officers.

Response
Northamptonshire Police recorded 88 crimes in 2020/21 (1 April 2020 to 31 March 2021) and 97 crimes in 2021/22, a total of 185 crimes over the two years. All were recorded under Home Office offence code 71/17."""
right="""Youngest victim
The youngest victim was a female aged 10 or under. The exact age is withheld under section 40(2), as it would be personal data of a child.

Police officers as suspects
Northamptonshire Police can neither confirm nor deny that it holds this information, by virtue of sections 30(3) and 40(5) of the Act. To confirm or deny could identify individuals and undermine investigations.

The force area has a population of around 790,000."""
p.insert_textbox(fitz.Rect(40,120,290,800),left,fontname="helv",fontsize=9)
p.insert_textbox(fitz.Rect(305,120,555,800),right,fontname="helv",fontsize=9)
p.draw_line((297,120),(297,780))
p.insert_text((260,820),"Page 1 of 1",fontname="helv",fontsize=8)
doc.save(R)
gold(stem,force="Northamptonshire Police",reference="FOI/00654/22",response_date="2022-05-11",outcome="partial",offence_codes=["71/17"],
 offences=[off(FY(2020),88),off(FY(2021),97),off(P("2020-04-01","2022-03-31"),185)],
 youngest_victim={"age_min":0,"age_max":10,"gender":"female","withheld":False},
 exemptions=[ex("40(2)"),ex("30(3)",True),ex("40(5)",True)],caveats=["Two-column layout; population 790,000 is a distractor."])
