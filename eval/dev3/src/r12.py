from common import *; import docx
stem="12_gloucestershire"; R=f"{OUT}/replies/{stem}.docx"
d=docx.Document()
d.add_heading("Gloucestershire Constabulary",1)
d.add_paragraph("Freedom of Information Request: 2024/FOI/0877\nResponse date: 28 March 2024")
d.add_paragraph("Your request: 'For every offence of sexual communication with a child (or grooming, codes 71/17 and 88/1) since 2017, please give the age of the child, the age of the suspect, the app used and the outcome.'")
d.add_paragraph("Gloucestershire Constabulary is unable to comply with your request. The app used is held only in free text, and the victim and suspect details would have to be extracted record by record. Our estimate is set out below.")
t=d.add_table(rows=1,cols=3); t.style="Table Grid"
for c,x in zip(t.rows[0].cells,["Task","Records","Hours"]): c.text=x
for r in [("Identify relevant crimes (2017 to 2024)","approx. 640","4"),("Read each record for the app used","approx. 640","53"),("Total","","57")]:
    cs=t.add_row().cells
    for c,x in zip(cs,r): c.text=x
d.add_paragraph("As this exceeds the appropriate limit of 18 hours (£450), section 12(1) of the Freedom of Information Act 2000 applies and we are not obliged to provide any of the information. This letter is a refusal notice under section 17(5).")
d.add_paragraph("Advice and assistance: you may wish to narrow your request, for example to a single year and without the app used. You may also find our published crime data helpful: in 2023 the constabulary recorded 1,930 sexual offences of all types.")
d.add_paragraph("Information Access Team, Gloucestershire Constabulary, No. 1 Waterwells, Quedgeley, Gloucester GL2 2AN")
d.save(R)
gold(stem,force="Gloucestershire Constabulary",reference="2024/FOI/0877",response_date="2024-03-28",outcome="refused",exemptions=[ex("12")],
 caveats=["Codes 71/17 and 88/1 only in the quoted request; 640 records and 1,930 sexual offences are distractors."])
