from common import *; import openpyxl
stem="03_lincolnshire"; R=f"{OUT}/replies/{stem}.xlsx"
wb=openpyxl.Workbook(); ws=wb.active; ws.title="Offences"
ws["A1"]="Lincolnshire Police - FOI response 000987/24 - Sexual communication with a child (HO code 71/17)"; ws.merge_cells("A1:D1")
ws.append([]); ws.append(["Financial year","2021/22","2022/23","2023/24"]); ws.append(["Crimes recorded",57,61,71])
ws.append([]); ws.append(["Data extracted 12/02/2024; financial year runs 1 April to 31 March."])
p=wb.create_sheet("Platforms")
p["A1"]="Method of communication (keyword search of crime summary)"; p.merge_cells("A1:D1")
p.append(["Platform","2021/22","2022/23","2023/24"])
rows=[("Snapchat",[21,25,30]),("Facebook/Instagram",[9,7,11]),("WhatsApp",[4,6,5]),("Text/SMS",[3,2,5]),("Other",[2,1,3]),("Not recorded",[18,20,17])]
for l,v in rows: p.append([l]+v)
p.append(["Total",57,61,71])
n=wb.create_sheet("Notes")
for s in ["Request: number of s.15A offences 2021/22 to 2023/24 and the apps used.",
"Platforms were identified by searching the free-text crime summary for app names; where more than one app was mentioned the crime is shown against the combined label.",
"'Not recorded' means no platform was found in the text.","Response date: 19 February 2024. Reference 000987/24.",
"Lincolnshire Police publishes this response in its disclosure log; 2,314 requests were answered in 2023."]: n.append([s])
wb.save(R)
ys=[FY(2021),FY(2022),FY(2023)]
canon={"Snapchat":["Snapchat"],"Facebook/Instagram":["Facebook","Instagram"],"WhatsApp":["WhatsApp"],"Text/SMS":["Text message"],"Other":["Other"],"Not recorded":["Unknown"]}
gold(stem,force="Lincolnshire Police",reference="000987/24",response_date="2024-02-19",outcome="full",offence_codes=["71/17"],
 offences=[off(y,c) for y,c in zip(ys,[57,61,71])],
 platforms=[plat(y,l,canon[l],c,"keyword_search") for l,v in rows for y,c in zip(ys,v)],
 caveats=["No whole-period total stated; per-year Total row of platforms sheet not recorded.","'Not recorded' mapped to Unknown."])
