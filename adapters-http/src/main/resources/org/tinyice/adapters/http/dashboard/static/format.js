// Formatting shared by the dashboard and the public page.

export function bytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function rate(bytesPerSecond) {
  const kbits = bytesPerSecond * 8 / 1000;
  return kbits >= 1000 ? `${(kbits / 1000).toFixed(1)} Mbit/s` : `${Math.round(kbits)} kbit/s`;
}

export function duration(seconds) {
  seconds = Math.max(0, Math.floor(seconds));
  const d = Math.floor(seconds / 86400);
  const h = Math.floor(seconds % 86400 / 3600);
  const m = Math.floor(seconds % 3600 / 60);
  const s = seconds % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

/** An element with text content only (never HTML from data). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

/** A mount path as a URL path (mount names are URL-safe today; escaping each segment keeps it so). */
export function mountUrl(mount) {
  return mount.split('/').map(encodeURIComponent).join('/');
}
