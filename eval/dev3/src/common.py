import json, os
OUT='/work/blind/dev3'
def P(s,e): return {"start":s,"end":e}
CY=lambda y: P(f"{y}-01-01",f"{y}-12-31")
FY=lambda y: P(f"{y}-04-01",f"{y+1}-03-31")
def off(p,c,code=None): return {"period":p,"code":code,"count":c}
def cell(p,g,a,c):
    d={"period":p,"gender":g,"age":a,"count":c}
    if c is None: d["suppressed"]=True
    return d
def plat(p,label,names,c,method):
    d={"period":p,"label":label,"platforms":names,"count":c,"method":method}
    if c is None: d["suppressed"]=True
    return d
def oc(p,o,c): return {"period":p,"outcome":o,"count":c}
def ex(s,n=False): return {"section":s,"ncnd":n}
def gold(stem, **kw):
    g={"schema_version":1,"doc_id":stem,"force":None,"reference":None,"response_date":None,"outcome":"full",
       "data_in_attachment":False,"offence_codes":[],"offences":[],"victims":[],"suspects":[],"platforms":[],
       "outcomes_by_type":[],"youngest_victim":None,"exemptions":[],"caveats":[]}
    for k,v in kw.items(): assert k in g,k; g[k]=v
    json.dump(g,open(f"{OUT}/gold/{stem}.json","w"),indent=1,ensure_ascii=False)
