/** A tiny XML tree and its two renderings: BBB's compressed FreeMarker output and Scalelite's Nokogiri output. */

export interface XmlElement {
  name: string;
  attrs?: Record<string, string>;
  /** Leaf content; `''` renders `<x></x>` as BBB's templates do. */
  text?: string;
  /** Wrap `text` in CDATA, as BBB does for recording names and metadata. */
  cdata?: boolean;
  children?: XmlElement[];
  /** Render an element without content as `<x/>` instead of `<x></x>`. */
  selfClose?: boolean;
}

export type XmlStyle = 'bbb' | 'scalelite';

type Content = string | number | boolean | XmlElement[] | undefined;

export function el(
  name: string,
  content?: Content,
  options: Omit<XmlElement, 'name' | 'text' | 'children'> = {},
): XmlElement {
  if (Array.isArray(content)) return { name, children: content, ...options };
  if (content === undefined) return { name, ...options };
  return { name, text: String(content), ...options };
}

// Characters XML 1.0 forbids even when escaped; a name carrying one must not make the whole answer unparseable.
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** FreeMarker's XML output format escapes these five. */
function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function cdata(text: string): string {
  return `<![CDATA[${text.replace(INVALID_XML_CHARS, '').split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

function openTag(node: XmlElement, close = false): string {
  const attrs = Object.entries(node.attrs ?? {})
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  return `<${node.name}${attrs}${close ? '/' : ''}>`;
}

function render(node: XmlElement, indent: string, step: string, lines: string[]): void {
  if (node.text !== undefined) {
    lines.push(`${indent}${openTag(node)}${node.cdata ? cdata(node.text) : escapeXml(node.text)}</${node.name}>`);
    return;
  }
  const children = node.children ?? [];
  if (children.length === 0) {
    lines.push(node.selfClose ? `${indent}${openTag(node, true)}` : `${indent}${openTag(node)}</${node.name}>`);
    return;
  }
  lines.push(`${indent}${openTag(node)}`);
  for (const child of children) render(child, indent + step, step, lines);
  lines.push(`${indent}</${node.name}>`);
}

/** BBB's templates have no XML declaration and `<#compress>` strips indentation; Scalelite emits both. */
export function renderXml(root: XmlElement, style: XmlStyle): string {
  const lines: string[] = [];
  if (style === 'scalelite') {
    lines.push('<?xml version="1.0"?>');
    render(root, '', '  ', lines);
  } else {
    render(root, '', '', lines);
  }
  return `${lines.join('\n')}\n`;
}
