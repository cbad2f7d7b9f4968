from common import *; import docx
stem="02_hertfordshire"; R=f"{OUT}/replies/{stem}.docx"
d=docx.Document()
d.add_paragraph("Hertfordshire Constabulary – Joint Protective Services, Information Rights")
d.add_paragraph("Freedom of Information Request Reference No: FOI 2024-11873\nDate: 14 November 2024")
d.add_paragraph("You asked for the number of offences of sexual communication with a child (Home Office crime code 7117) recorded by Hertfordshire Constabulary for 2022, 2023 and 2024 to date, and the victims by gender and age band.")
d.add_paragraph("Response: In calendar year 2022 there were 96 such crimes recorded, in 2023 there were 104, and in 2024 up to 30 September there were 71. Offences under section 67 Sexual Offences Act 2003 (voyeurism, 43 in 2023) are not included. The victims are shown below.")
t=d.add_table(rows=2,cols=7); t.style="Table Grid"
h=t.rows[0].cells; h[0].text="Year"; a=h[1].merge(h[3]); a.text="Female"; b=h[4].merge(h[6]); b.text="Male"
h0=t.rows[0].cells[0].merge(t.rows[1].cells[0])
for i,x in enumerate(["0-11","12-15","16-17"]*2): t.rows[1].cells[i+1].text=x
data={"2022":[12,48,9,3,11,"*"],"2023":[15,52,7,"*",13,2],"2024 (to 30 Sep)":[9,35,6,2,8,"*"]}
grp=t.add_row().cells; g=grp[0].merge(grp[6]); g.text="Victims of s.15A offences"
for y,v in data.items():
    r=t.add_row().cells; r[0].text=y
    for i,x in enumerate(v): r[i+1].text=str(x)
d.add_paragraph("* denotes a figure between 1 and 4, withheld under section 40(2) of the Act (personal information), as disclosure could identify a child.")
d.add_paragraph("Please note that victim age is the age at the time of the offence. Contact us on 01707 354000 quoting the reference above.")
d.save(R)
per={"2022":CY(2022),"2023":CY(2023),"2024 (to 30 Sep)":P("2024-01-01","2024-09-30")}
V=[]
for y,v in data.items():
    for i,x in enumerate(v):
        V.append(cell(per[y],"female" if i<3 else "male",["0-11","12-15","16-17"][i%3],None if x=="*" else x))
gold(stem,force="Hertfordshire Constabulary",reference=["FOI 2024-11873","2024-11873"],response_date="2024-11-14",outcome="partial",
 offence_codes=["71/17"],offences=[off(CY(2022),96),off(CY(2023),104),off(per["2024 (to 30 Sep)"],71)],
 victims=V,exemptions=[ex("40(2)")],caveats=["Voyeurism figure (43, s.67) is a distractor, not recorded.","No whole-period total stated."])
