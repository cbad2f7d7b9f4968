from common import *
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table,TableRow,TableCell,CoveredTableCell
from odf.text import P as TP
stem="04_wiltshire"; R=f"{OUT}/replies/{stem}.ods"
doc=OpenDocumentSpreadsheet()
def sheet(name,rows):
    t=Table(name=name)
    for r in rows:
        tr=TableRow()
        for c in r:
            span=1
            if isinstance(c,tuple): c,span=c
            kw={"valuetype":"float","value":c} if isinstance(c,int) else {"valuetype":"string"}
            if span>1: kw["numbercolumnsspanned"]=span
            tc=TableCell(**kw); tc.addElement(TP(text=str(c))); tr.addElement(tc)
            for _ in range(span-1): tr.addElement(CoveredTableCell())
        t.addElement(tr)
    doc.spreadsheet.addElement(t)
sheet("Offences",[[("Wiltshire Police – FOI Ref: 2023-0412 – Crimes recorded 1 January to 31 December 2023 by quarter",6)],[],
 ["Home Office code","Offence","Q1 (Jan-Mar)","Q2 (Apr-Jun)","Q3 (Jul-Sep)","Q4 (Oct-Dec)","Total"],
 ["71/17","Sexual communication with a child",18,22,15,20,75],
 ["88A","Sexual grooming",3,"-",2,1,6],
 ["19C","Rape of a female child under 16 (shown for context)",5,4,6,3,18],[],
 [("Total for the two offences requested (71/17 and 88A), 2023: 81",6)]])
sheet("Notes",[["Notes"],["1. Dash (-) denotes nil."],["2. Code 19C is not part of your request and is given for context only."],
 ["3. Response issued 22 January 2024 by the Wiltshire Police Information Management Unit, Devizes SN10 2DN."],
 ["4. No information has been withheld."]])
doc.save(R)
q=[P("2023-01-01","2023-03-31"),P("2023-04-01","2023-06-30"),P("2023-07-01","2023-09-30"),P("2023-10-01","2023-12-31")]
O=[off(p,c,"71/17") for p,c in zip(q,[18,22,15,20])]+[off(p,c,"88A") for p,c in zip(q,[3,0,2,1])]+[off(CY(2023),81)]
gold(stem,force="Wiltshire Police",reference="2023-0412",response_date="2024-01-22",outcome="full",offence_codes=["71/17","88A"],
 offences=O,caveats=["19C row (rape of a child under 16) is context, not recorded.","Dash in 88A Q2 is nil per note and row total."])
