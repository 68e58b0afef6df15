// Bot texts as DOM nodes: line breaks kept, web addresses and [title](address) links made
// clickable (http and https only, opening in a new tab), everything else plain text.
const LINK = /\[([^\]\n]{1,200})\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)])/g;

function link(href, label, newTabHint) {
  const anchor = document.createElement("a");
  anchor.href = href;
  anchor.target = "_blank";
  anchor.rel = "noopener noreferrer";
  anchor.textContent = label;
  const hint = document.createElement("span");
  hint.className = "sc-visually-hidden";
  hint.textContent = ` ${newTabHint}`;
  anchor.appendChild(hint);
  return anchor;
}

function appendLine(parent, line, newTabHint) {
  let last = 0;
  for (const match of line.matchAll(LINK)) {
    if (match.index > last) parent.appendChild(document.createTextNode(line.slice(last, match.index)));
    const href = match[2] || match[3];
    parent.appendChild(link(href, match[1] || href, newTabHint));
    last = match.index + match[0].length;
  }
  if (last < line.length) parent.appendChild(document.createTextNode(line.slice(last)));
}

export function renderRichText(text, newTabHint) {
  const container = document.createElement("div");
  container.className = "sc-text";
  text.split("\n").forEach((line, index) => {
    if (index > 0) container.appendChild(document.createElement("br"));
    appendLine(container, line, newTabHint);
  });
  return container;
}
