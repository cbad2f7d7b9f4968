from common import *
from email.message import EmailMessage
stem="05_greater-manchester"; R=f"{OUT}/replies/{stem}.eml"
rows=[("Outcome 1","Charge/Summons",14,"charged"),("Outcome 3","Adult caution",2,"caution"),("Outcome 15","Evidential difficulties - victim supports action",27,"evidential_difficulties"),
("Outcome 16","Victim does not support action",11,"victim_declines_suspect_identified"),("Outcome 18","Investigation complete - no suspect identified",6,"no_suspect_identified"),
("Outcome 21","Further investigation not in the public interest",4,"further_investigation_not_in_public_interest"),("-","Investigation ongoing / no outcome assigned",9,"under_investigation")]
m=EmailMessage(); m["From"]="Information Governance <foi@gmp.police.uk>"; m["To"]="requester@example.org"
m["Subject"]="FOI 013417/23 - Sexual communication with a child - outcomes"; m["Date"]="Thu, 18 May 2023 10:12:44 +0100"
m.set_content("Dear Requester\n\nFreedom of Information Request Reference: 013417/23\n\nPlease find our response below. This message contains a table which is only visible when viewed as HTML.\n\nGreater Manchester Police\nInformation Governance Unit\n")
tr="".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a,b,c,_ in rows)
m.add_alternative(f"""<html><body><p>Dear Requester</p><p>Freedom of Information Request Reference: 013417/23</p>
<p>Greater Manchester Police recorded 73 crimes of sexual communication with a child (Home Office code 071/17) between 1 April 2022 and 31 March 2023. The outcome currently assigned to each crime is:</p>
<table border="1"><tr><th>Outcome code</th><th>Description</th><th>Crimes</th></tr>{tr}<tr><td colspan="2"><b>Total</b></td><td><b>73</b></td></tr></table>
<p>Outcomes are as at 2 May 2023 and may change. In the same year GMP recorded 1,204 crimes of sexual assault on a female aged 13 and over; these are not part of your request.</p>
<p>Yours sincerely<br>Information Governance Unit, Greater Manchester Police, 0161 856 2137</p></body></html>""",subtype="html")
open(R,"wb").write(bytes(m))
p=FY(2022)
gold(stem,force="Greater Manchester Police",reference="013417/23",response_date="2023-05-18",outcome="full",offence_codes=["71/17"],
 offences=[off(p,73)],outcomes_by_type=[oc(p,o,c) for _,_,c,o in rows],caveats=["Table only in HTML part; sexual assault figure (1,204) is a distractor.","Outcomes as at 2 May 2023."])
