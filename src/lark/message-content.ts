type Obj = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;

/** A message's `content` (a JSON string on the wire, or already parsed) as an object. */
export function parseContent(content: unknown): Obj {
  if (typeof content === 'string') {
    try {
      return obj(JSON.parse(content)) ?? {};
    } catch {
      return {};
    }
  }
  return obj(content) ?? {};
}

/** The text and image keys of a message's content, by message type (text, image, post). */
export function contentParts(type: string, content: Obj): { text: string; imageKeys: string[] } {
  if (type === 'text') return { text: str(content.text) ?? '', imageKeys: [] };
  if (type === 'image') {
    const key = str(content.image_key);
    return { text: '', imageKeys: key ? [key] : [] };
  }
  if (type === 'post') return postParts(content);
  return { text: '', imageKeys: [] };
}

/**
 * Post content is `{title, content: [[...]]}` or that wrapped in a locale key (zh_cn, en_us, ...).
 * The title is left out: commands live in the body. Paragraphs are joined with newlines.
 */
function postParts(content: Obj): { text: string; imageKeys: string[] } {
  let post: Obj | undefined = Array.isArray(content.content) ? content : undefined;
  if (!post) {
    for (const value of Object.values(content)) {
      const o = obj(value);
      if (o && Array.isArray(o.content)) {
        post = o;
        break;
      }
    }
  }
  if (!post) return { text: '', imageKeys: [] };
  const imageKeys: string[] = [];
  const lines: string[] = [];
  for (const paragraph of post.content as unknown[]) {
    if (!Array.isArray(paragraph)) continue;
    let line = '';
    for (const node of paragraph) {
      const n = obj(node);
      if (!n) continue;
      if (n.tag === 'text' || n.tag === 'a') line += str(n.text) ?? '';
      else if (n.tag === 'at') line += str(n.user_id) ?? (str(n.user_name) ? `@${n.user_name}` : '');
      else if (n.tag === 'img') {
        const key = str(n.image_key);
        if (key) imageKeys.push(key);
      } else if (n.tag === 'code_block' || n.tag === 'md') line += str(n.text) ?? '';
    }
    if (line.trim() !== '') lines.push(line);
  }
  return { text: lines.join('\n'), imageKeys };
}
