from common import *
stem="06_west-yorkshire"; R=f"{OUT}/replies/{stem}.eml"
body="""From: Disclosure Unit <freedomofinformation@westyorkshire.police.uk>
To: requester@example.net
Subject: RE: FOI 12/22/0419 - CORRECTED RESPONSE
Date: Wed, 9 Mar 2022 15:40:02 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

Dear Requester,

CORRECTED RESPONSE - FOI 12/22/0419

We have found an error in our email of 3 March 2022: the 2021 crime
figure and the suspect breakdown were taken from an unvalidated extract.
Please disregard the earlier figures. The corrected information is:

Year | Crimes recorded (HO 71/17)
2019 | 212
2020 | 268
2021 | 301
Total | 781

Suspects linked to these crimes, 2019 to 2021 combined:
Gender | Suspects
Male | 402
Female | 37
Unknown | 58

A suspect may be linked to more than one crime. We apologise for the error.

Kind regards
Disclosure Unit, West Yorkshire Police, PO Box 9, Wakefield WF1 3QP

-----Original Message-----
From: Disclosure Unit
Sent: 03 March 2022 11:02
Subject: FOI 12/22/0419

> Dear Requester,
> In response to your request for sexual communication with a child
> offences for 2019, 2020 and 2021:
> Year | Crimes recorded (HO 71/17)
> 2019 | 212
> 2020 | 268
> 2021 | 310
> Total | 790
> Suspects: Male | 415, Female | 40, Unknown | 61
"""
open(R,"w").write(body)
W=P("2019-01-01","2021-12-31")
gold(stem,force="West Yorkshire Police",reference=["12/22/0419","FOI 12/22/0419"],response_date="2022-03-09",outcome="full",offence_codes=["71/17"],
 offences=[off(CY(2019),212),off(CY(2020),268),off(CY(2021),301),off(W,781)],
 suspects=[cell(W,"male","all",402),cell(W,"female","all",37),cell(W,"unknown","all",58)],
 caveats=["Corrected reply; quoted original (2021: 310, total 790, suspects 415/40/61) superseded and not recorded."])
