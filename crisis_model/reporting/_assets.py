"""The report's stylesheet and scripts, inlined into every page (no network, ever)."""

from __future__ import annotations

__all__ = ["CSS", "ERROR_TRAP_JS", "JS"]

CSS = """
:root{--label:210px;--ink:#1d2330;--muted:#5b6472;--line:#d9dde3;--bg:#fff;--soft:#f5f6f8;
--accent:#2f6db5;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
color:var(--ink);background:var(--bg);line-height:1.45}
*{box-sizing:border-box}
body{margin:0;font-size:15px}
a{color:var(--accent)}
header.top{padding:18px 22px 10px;border-bottom:1px solid var(--line);background:#fbfbfc}
header.top h1{margin:0 0 4px;font-size:1.45em;line-height:1.25}
header.top .desc{margin:4px 0 8px;max-width:70em;color:#333}
.meta{color:var(--muted);font-size:.9em;margin:0}
.meta b{color:var(--ink)}
.asof-note,.branch-note{margin:8px 0 0;padding:6px 10px;border-radius:6px;font-size:.92em;
max-width:70em}
.asof-note{background:#fff6dc;border:1px solid #ecd48b}
.branch-note{background:#f1ebfa;border:1px solid #c9b5e6}
nav.toc{position:sticky;top:0;z-index:20;background:rgba(255,255,255,.96);
border-bottom:1px solid var(--line);padding:6px 22px;display:flex;gap:14px;flex-wrap:wrap;
font-size:.9em}
nav.toc a{text-decoration:none;white-space:nowrap}
main{padding:0 22px 40px}
section{margin-top:26px}
h2{font-size:1.2em;margin:0 0 6px;padding-top:6px;border-top:2px solid var(--ink)}
h3{font-size:1.02em;margin:18px 0 6px}
.hint{color:var(--muted);font-size:.88em;margin:2px 0 8px;max-width:60em}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:.84em;color:var(--muted);
margin:6px 0 10px;align-items:center}
.legend span{display:inline-flex;align-items:center;gap:5px}
.sw{display:inline-block;width:12px;height:12px;border-radius:50%}
.sw.bar{width:22px;height:9px;border-radius:3px;opacity:.55}
.sw.single{background:#fff;border:2px solid var(--ink)}
.sw.unc{background:repeating-linear-gradient(45deg,#999 0 3px,#fff 3px 6px);border-radius:3px}
.sw.hyp{background:#fff;border:2px dashed #7b4fb0;border-radius:3px}
.tools{display:flex;gap:8px;margin:4px 0 6px}
.tools button{font:inherit;font-size:.82em;padding:3px 9px;border:1px solid var(--line);
border-radius:5px;background:#fff;cursor:pointer}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);
border-radius:6px}
.tl{min-width:780px;position:relative}
.row{display:grid;grid-template-columns:var(--label) 1fr;border-top:1px solid #eef0f3}
.row:first-child{border-top:0}
.lab{position:sticky;left:0;z-index:3;background:#fff;padding:4px 8px;font-size:.85em;
border-right:1px solid var(--line);overflow:hidden;text-overflow:ellipsis;line-height:1.25}
.lab small{display:block;color:var(--muted);font-size:.86em;white-space:nowrap;overflow:hidden;
text-overflow:ellipsis}
.track{position:relative;min-height:26px}
.axis{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid var(--line)}
.axis .track{height:36px}
.tick{position:absolute;top:0;height:100%;border-left:1px solid var(--line);font-size:.76em;
color:var(--muted);padding:2px 0 0 3px;white-space:nowrap;overflow:hidden}
.tick.quiet{color:#a2a9b3}
.tick .yr{display:block;font-weight:600;color:var(--ink)}
.grid{position:absolute;top:0;bottom:0;right:0;pointer-events:none;z-index:1}
.grid i{position:absolute;top:0;bottom:0;border-left:1px solid #eef0f3}
.grid i.q{background:#fafbfc;border-left-color:#f1f2f4}
.vline{position:absolute;top:0;bottom:0;border-left:2px solid;z-index:2}
.vline span{position:absolute;top:38px;left:3px;font-size:.72em;padding:0 3px;
background:rgba(255,255,255,.85);white-space:nowrap}
.vline.asof{border-color:#c79200}.vline.asof span{color:#8a6500}
.vline.departs{border-color:#7b4fb0;border-left-style:dashed}.vline.departs span{color:#5b3590}
details.group>summary{cursor:pointer;list-style:none;padding:4px 8px;font-weight:600;
font-size:.86em;background:var(--soft);border-top:1px solid var(--line);position:relative;
z-index:3}
details.group>summary::-webkit-details-marker{display:none}
details.group>summary::before{content:"\\25BE";display:inline-block;width:1.1em;color:var(--muted)}
details.group:not([open])>summary::before{content:"\\25B8"}
details.group>summary small{font-weight:400;color:var(--muted)}
.ev,.echo{position:absolute;display:block;z-index:4;text-decoration:none;outline-offset:2px}
.ev.p-day{width:14px;height:14px;border-radius:50%;border:2px solid #fff;background:var(--c);
box-shadow:0 0 0 1px rgba(0,0,0,.3)}
.evlab{position:absolute;left:14px;top:-2px;font-size:10.5px;line-height:14px;color:#1d2330;
white-space:nowrap;padding:0 3px;background:rgba(255,255,255,.85);border-radius:3px}
.ev.p-month{height:16px;border-radius:4px;background:color-mix(in srgb,var(--c) 26%,#fff);
border:1px solid var(--c);border-left-width:4px;font-size:10.5px;line-height:14px;color:#1d2330;
padding:0 8px 0 3px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.ev.p-year{height:6px;border-radius:3px;background:color-mix(in srgb,var(--c) 35%,#fff)}
.ev:hover,.ev:focus,.echo:hover{z-index:6;box-shadow:0 0 0 3px rgba(47,109,181,.5)}
.ev.single.p-day{border-color:#1d2330;box-shadow:none}
.ev.single.p-month::after,.ev.single.p-year::after{content:"";position:absolute;right:2px;
top:4px;width:5px;height:5px;border-radius:50%;background:#1d2330}
.ev.single.p-year::after{top:1px;width:4px;height:4px}
.ev.none.p-day{border:2px dashed #1d2330;box-shadow:none}
.ev.none.p-month{border-style:dashed}
.ev.uncertain{background-image:repeating-linear-gradient(45deg,rgba(255,255,255,.8) 0 3px,
transparent 3px 6px)}
.ev.branch{outline:2px dashed #7b4fb0;outline-offset:1px}
.ev.rejected{background:#fff;border:2px solid #c0392b}
.echo.p-day{width:10px;height:10px;border-radius:50%;background:#fff;border:2px solid var(--c)}
.echo.p-month,.echo.p-year{height:6px;border-radius:3px;background:transparent;
border:1.5px solid var(--c)}
.seg{position:absolute;top:3px;bottom:3px;border-radius:4px;font-size:.76em;padding:2px 5px;
white-space:nowrap;overflow:hidden;text-overflow:ellipsis;cursor:default;z-index:3;
border:1px solid rgba(0,0,0,.08);line-height:1.5}
.seg:focus,.seg:hover{outline:2px solid var(--accent);z-index:6}
.s-w-at_large{background:#e3f1e4}.s-w-in_hiding{background:#f7d98f}.s-w-detained{background:#ec9a9a}
.s-w-in_embassy{background:#b9cff2}.s-w-in_exile{background:#d4bff0}.s-w-unknown{background:#ddd}
.s-office{background:#bfe3cb}.s-asylum-sought{background:#f3e6b3}
.s-asylum-granted{background:#b7dfbf}.s-asylum-denied{background:#f0b9b9}
.s-jeopardy{background:#f8d2c4}.s-jeopardy-wanted{background:#ef9f8a}
.s-stance-recognises{background:#d9cdf3}.s-stance-withholds{background:#f1e6c4}
.s-stance-rejects{background:#f2c4c4}.s-generic-0{background:#e4e7ec}
.s-generic-1{background:#d3dae6}.s-other{background:#e6e6e6}
.band-first{border-top:1px solid #cfd4db}
.series .track{height:44px}
.series svg{position:absolute;z-index:2;inset:4px 0;width:100%;height:calc(100% - 8px)}
.series path.area{fill:rgba(47,109,181,.16);stroke:none}
.series path.line{fill:none;stroke:#2f6db5;stroke-width:2;vector-effect:non-scaling-stroke}
.series path.line.atleast{stroke-dasharray:5 4;stroke:#b05a00}
.pt{position:absolute;top:2px;font-size:.74em;background:rgba(255,255,255,.9);padding:0 3px;
border-radius:3px;transform:translateX(-50%);z-index:4;white-space:nowrap;cursor:default}
.pt.atleast{color:#8a4300}
table{border-collapse:collapse;font-size:.88em;margin:6px 0 10px}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
.tablewrap{overflow-x:auto;max-width:100%}
.matrix td.rm-cell{min-width:8em;color:#98a0aa;text-align:center}
.matrix td.rm-cell.on{color:var(--ink);font-weight:600}
.matrix td.rm-cell.on.k-recognises{background:#d9cdf3}
.matrix td.rm-cell.on.k-withholds{background:#f1e6c4}
.matrix td.rm-cell.on.k-rejects{background:#f2c4c4}
.matrix td.rm-cell.past{background:#f3f3f3;color:var(--muted);font-weight:400}
.matrix th small{display:block;font-weight:400;color:var(--muted)}
.share{display:flex;align-items:center;gap:6px;white-space:nowrap}
.share i{display:inline-block;height:9px;background:#2f6db5;border-radius:2px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:10px;
align-items:start}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 12px;background:#fff}
.card h4{margin:0 0 4px;font-size:.95em}
.card p{margin:2px 0;font-size:.88em}
ol.chron{list-style:none;padding:0;margin:0}
ol.chron>li{padding:7px 10px;border-bottom:1px solid #eef0f3;display:grid;
grid-template-columns:7.2em 1fr;gap:2px 12px}
ol.chron>li:target{background:#fff8d6}
.entry-date{font-variant-numeric:tabular-nums;color:var(--muted);font-size:.9em}
.entry-date .num{display:block;font-size:.85em;color:#9aa1ab}
.entry-sum{font-weight:500}
.entry-more{grid-column:2;font-size:.85em;color:var(--muted)}
.entry-more p{margin:2px 0}
.chip{display:inline-block;font-size:.75em;padding:0 6px;border-radius:9px;margin-left:4px;
vertical-align:1px;border:1px solid;white-space:nowrap;font-weight:500}
.chip.single{color:#7a4b00;border-color:#e0b25c;background:#fff6e0}
.chip.none{color:#5b6472;border-color:#b9c0ca;background:#f3f4f6}
.chip.unc{color:#8a6500;border-color:#ecd48b;background:#fff6dc}
.chip.hyp{color:#5b3590;border-color:#c9b5e6;background:#f1ebfa}
.chip.rej{color:#a12a1e;border-color:#e4a39c;background:#fdeceb}
.chip.fam{color:#fff;border-color:transparent}
ol.sources{padding-left:1.4em}
ol.sources>li{margin-bottom:10px}
.cites{font-size:.86em;color:var(--muted)}
.cites a{white-space:nowrap}
#tip{position:absolute;z-index:50;max-width:min(420px,calc(100vw - 16px));background:#fff;
border:1px solid #b8c0cc;border-radius:8px;box-shadow:0 6px 24px rgba(0,0,0,.18);
padding:10px 12px;font-size:.88em}
#tip[hidden]{display:none}
#tip .tip-close{position:absolute;top:4px;right:6px;border:0;background:none;font-size:1.2em;
cursor:pointer;color:var(--muted);display:none}
#tip.pinned .tip-close{display:block}
#tip .tip-body{padding-right:14px}
#tip .entry-date .num{display:inline;margin-right:6px}
#tip .entry-more{display:block}
.empty{color:var(--muted);font-style:italic}
#js-errors{display:none}
@media (max-width:700px){
:root{--label:118px}
body{font-size:14px}
header.top,main{padding-left:12px;padding-right:12px}
nav.toc{padding:6px 12px;gap:10px}
ol.chron>li{grid-template-columns:1fr}
.entry-more{grid-column:1}
.tl{min-width:640px}
}
@media print{
:root{--label:150px}
body{font-size:10.5pt}
nav.toc,.tools,#tip,.hint.screen{display:none !important}
.scroll{overflow:visible;border:0}
.tl{min-width:0}
.lab,.axis{position:static}
details.group>summary{position:static}
section{break-inside:auto}
.row,ol.chron>li,table,.card{break-inside:avoid}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
a{color:inherit;text-decoration:none}
}
"""

#: Runs first: records every script error in the page, where a test (or a person) can read it.
ERROR_TRAP_JS = """
(function(){var n=0,h=document.documentElement;h.setAttribute("data-js-errors","0");
function note(m){n+=1;h.setAttribute("data-js-errors",String(n));
var p=document.getElementById("js-errors");if(p){p.textContent+=String(m)+"\\n";}}
window.addEventListener("error",function(e){note(e.message||"script error");});
window.addEventListener("unhandledrejection",function(e){note("unhandled: "+e.reason);});
})();
"""

#: Hover, focus and tap show an event's details; Escape or a tap elsewhere closes them.
JS = """
(function(){
var tip=document.getElementById("tip"),body=tip.querySelector(".tip-body"),pinned=null;
var SEL=".ev,.echo,.seg,.pt";
function fill(el){var i=el.getAttribute("data-i");
if(i!==null){var entry=document.getElementById("e"+i);body.innerHTML=entry?entry.innerHTML:"";
var go=document.createElement("a");go.href="#e"+i;go.textContent="go to this event in the list";
go.className="tip-go";var p=document.createElement("p");p.appendChild(go);body.appendChild(p);}
else{body.textContent=el.getAttribute("data-tip")||"";}}
function place(el){var r=el.getBoundingClientRect(),w=tip.offsetWidth,h=tip.offsetHeight;
var x=Math.min(Math.max(8,r.left+r.width/2-w/2),window.innerWidth-w-8);
var y=r.bottom+8;if(y+h>window.innerHeight-8&&r.top-h-8>0){y=r.top-h-8;}
tip.style.left=(Math.max(8,x)+window.pageXOffset)+"px";tip.style.top=(y+window.pageYOffset)+"px";}
function show(el,pin){fill(el);tip.hidden=false;pinned=pin?el:null;
tip.classList.toggle("pinned",!!pin);place(el);}
function hide(){tip.hidden=true;pinned=null;}
document.addEventListener("mouseover",function(e){if(pinned){return;}
var el=e.target.closest&&e.target.closest(SEL);if(el){show(el,false);}});
document.addEventListener("mouseout",function(e){if(pinned){return;}
var el=e.target.closest&&e.target.closest(SEL);
if(el&&!(e.relatedTarget&&el.contains(e.relatedTarget))){hide();}});
document.addEventListener("focusin",function(e){var el=e.target.closest&&e.target.closest(SEL);
if(el){show(el,false);}});
document.addEventListener("click",function(e){
if(e.target.closest(".tip-close")){hide();return;}
if(e.target.closest(".tip-go")){hide();return;}
var el=e.target.closest(SEL);if(el){e.preventDefault();show(el,true);return;}
if(!e.target.closest("#tip")){hide();}});
document.addEventListener("keydown",function(e){if(e.key==="Escape"){var was=pinned;hide();
if(was&&was.focus){was.focus();}return;}
if((e.key==="Enter"||e.key===" ")&&e.target.matches&&e.target.matches(".seg,.pt")){
e.preventDefault();show(e.target,true);}});
window.addEventListener("resize",function(){if(pinned){place(pinned);}});
function all(open){var ds=document.querySelectorAll("details.group");
for(var k=0;k<ds.length;k++){ds[k].open=open;}}
var bs=document.querySelectorAll("[data-groups]");
for(var k=0;k<bs.length;k++){bs[k].addEventListener("click",function(e){
all(e.currentTarget.getAttribute("data-groups")==="open");});}
window.addEventListener("beforeprint",function(){hide();all(true);});
var sc=document.querySelectorAll(".scroll");
for(var k=0;k<sc.length;k++){var box=sc[k],t=box.querySelector(".tick:not(.quiet)"),
lab=box.querySelector(".lab");if(t&&lab&&box.scrollWidth>box.clientWidth+4){
box.scrollLeft=Math.max(0,t.offsetLeft-12);}}
document.documentElement.setAttribute("data-js","ready");
})();
"""
