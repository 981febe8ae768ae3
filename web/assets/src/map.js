/*! Country shapes: world-atlas 2.0.2 (ISC), made from Natural Earth (public domain). TopoJSON decoding: topojson-client 3.1.0 (ISC), Copyright Mike Bostock. */
// The map of a search's results, drawn offline: country shapes from the
// bundled world-atlas (Natural Earth, 1:110m), no tiles, nothing fetched.
// It reads what the page already lists (results per country, and the
// results on this page that give a location) and draws them as an SVG:
// countries shaded by how many results they hold, linked to the search
// narrowed to them, and a dot per located result, linked to its page.
// Without JavaScript the lists stay, and say the same.
import { feature } from "topojson-client";
import world from "world-atlas/countries-110m.json";
import { numeric } from "./iso3166.js";

const NS = "http://www.w3.org/2000/svg";
const W = 960, TOP = 84, BOTTOM = -58, H = Math.round((W * (TOP - BOTTOM)) / 360);
const x = (lon) => ((lon + 180) / 360) * W;
const y = (lat) => ((TOP - lat) / (TOP - BOTTOM)) * H;
const f1 = (v) => Math.round(v * 10) / 10;

function el(name, attrs, parent) {
  const e = document.createElementNS(NS, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e);
  return e;
}

// ringPaths unwraps a ring that crosses the antimeridian so that it is
// continuous, and draws it once more shifted by a turn if it leaves the map.
function ringPaths(ring) {
  const pts = [];
  let off = 0, prev = ring[0][0];
  for (const [lon0, lat] of ring) {
    let lon = lon0 + off;
    if (lon - prev > 180) { off -= 360; lon -= 360; }
    else if (lon - prev < -180) { off += 360; lon += 360; }
    pts.push([lon, lat]);
    prev = lon;
  }
  const path = (shift) => "M" + pts.map(([lon, lat]) => f1(x(lon + shift)) + "," + f1(y(lat))).join("L") + "Z";
  const out = [path(0)];
  if (pts.some(([lon]) => lon > 180)) out.push(path(-360));
  if (pts.some(([lon]) => lon < -180)) out.push(path(360));
  return out.join("");
}

function shape(geom) {
  const polys = geom.type === "Polygon" ? [geom.coordinates] : geom.type === "MultiPolygon" ? geom.coordinates : [];
  return polys.map((rings) => rings.map(ringPaths).join("")).join("");
}

function draw(fig) {
  const counts = new Map(); // numeric id -> {count, href, code}
  let most = 0;
  for (const li of fig.querySelectorAll("li[data-country]")) {
    const id = numeric[li.dataset.country];
    const count = Number(li.dataset.count) || 0;
    const a = li.querySelector("a");
    if (id) counts.set(id, { count, href: a ? a.getAttribute("href") : "", code: li.dataset.country });
    most = Math.max(most, count);
  }
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "group", "aria-label": fig.dataset.label || "Map of the results" });
  el("title", {}, svg).textContent = fig.dataset.label || "Map of the results";
  const land = feature(world, world.objects.countries);
  for (const f of land.features) {
    if (f.id === "010") continue; // Antarctica: no listings, much space
    const c = counts.get(f.id);
    const d = shape(f.geometry);
    if (!c || !c.count) {
      el("path", { d, class: "land" }, svg);
      continue;
    }
    const a = el("a", { href: c.href }, svg);
    el("title", {}, a).textContent = `${f.properties.name}: ${c.count} ${c.count === 1 ? "result" : "results"}`;
    el("path", { d, class: c.count * 3 >= most ? "land hit2" : "land hit" }, a);
  }
  for (const li of fig.querySelectorAll("li[data-lat]")) {
    const lat = Number(li.dataset.lat), lon = Number(li.dataset.lon);
    if (!isFinite(lat) || !isFinite(lon) || lat < BOTTOM || lat > TOP) continue;
    const link = li.querySelector("a");
    const a = el("a", { href: link.getAttribute("href") }, svg);
    el("title", {}, a).textContent = link.textContent;
    el("circle", { cx: f1(x(lon)), cy: f1(y(lat)), r: 4, class: "dot" }, a);
  }
  const cap = fig.querySelector("figcaption");
  if (cap) cap.after(svg); else fig.prepend(svg);
  fig.classList.add("drawn");
  zoom(svg);
}

// zoom narrows the view to the countries and dots that hold results when
// they cover a small part of the world, keeping the map's proportions and
// the dots' size on screen.
function zoom(svg) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const e of svg.querySelectorAll("path.hit, path.hit2, circle.dot")) {
    const b = e.getBBox();
    x0 = Math.min(x0, b.x); y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.width); y1 = Math.max(y1, b.y + b.height);
  }
  if (!isFinite(x0) || x1 - x0 > W * 0.6) return;
  let w = Math.max(x1 - x0, 60), h = Math.max(y1 - y0, 60 * H / W);
  w *= 1.3; h *= 1.3;
  if (w / h > W / H) h = (w * H) / W; else w = (h * W) / H;
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const vx = Math.min(Math.max(cx - w / 2, 0), Math.max(W - w, 0));
  const vy = Math.min(Math.max(cy - h / 2, 0), Math.max(H - h, 0));
  svg.setAttribute("viewBox", `${f1(vx)} ${f1(vy)} ${f1(Math.min(w, W))} ${f1(Math.min(h, H))}`);
  const k = Math.min(w, W) / W;
  for (const c of svg.querySelectorAll("circle.dot")) c.setAttribute("r", f1(Math.max(4 * k, 0.4)));
}

for (const fig of document.querySelectorAll("figure[data-map]")) draw(fig);
