(function(){
var all=function(s){return Array.prototype.slice.call(document.querySelectorAll(s));};
function openHash(){var id=location.hash.slice(1);if(!id){return;}
var el=document.getElementById(id);if(el&&el.tagName==='DETAILS'){el.open=true;}}
window.addEventListener('hashchange',openHash);openHash();
all('[data-act]').forEach(function(b){b.addEventListener('click',function(){
var open=b.getAttribute('data-act')==='expand';
all('details.exec').forEach(function(d){d.open=open;});});});
var f=document.getElementById('only-failures');
if(f){f.addEventListener('change',function(){document.body.classList.toggle('only-failures',f.checked);});}
all('.controls').forEach(function(c){c.hidden=false;});
document.body.dataset.rendered='ok';
})();