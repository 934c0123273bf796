/**
 * What the Feishu client sends for a mention picked in the composer: the text carries a key per mention
 * (`@_user_1`, `@_user_2`, … in order) and the message a `mentions` entry {key, open_id, name} for each.
 * The page inserts `@name`; here every `@name` of a chat member (the simulated users and the bot) becomes
 * such a mention, longest name first so that "@管理员 Admin" is not read as a shorter name.
 */
export interface Member {
  openId: string;
  name: string;
}

export interface MentionedText {
  text: string;
  mentions: { key: string; openId: string; name: string }[];
}

export function toMentions(text: string, members: readonly Member[], first = 1): MentionedText {
  const byLength = [...members].sort((a, b) => b.name.length - a.name.length);
  const mentions: MentionedText['mentions'] = [];
  let out = '';
  for (let i = 0; i < text.length; ) {
    const m = text[i] === '@' ? byLength.find((x) => text.startsWith(`@${x.name}`, i)) : undefined;
    if (!m) {
      out += text[i];
      i += 1;
      continue;
    }
    const key = `@_user_${first + mentions.length}`;
    mentions.push({ key, openId: m.openId, name: m.name });
    out += key;
    i += m.name.length + 1;
  }
  return { text: out, mentions };
}

type PostNode = Record<string, string>;

/**
 * A post (富文本) as Feishu delivers it in `im.message.receive_v1`: `{title, content: [[node…]…]}` with
 * one paragraph per line of text (mentions as `at` nodes keyed like the text message's) and one per image.
 */
export function postContent(
  text: string,
  imageKeys: readonly string[],
  members: readonly Member[],
): { content: { title: string; content: PostNode[][] }; mentions: MentionedText['mentions'] } {
  const paragraphs: PostNode[][] = [];
  const mentions: MentionedText['mentions'] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const converted = toMentions(line, members, mentions.length + 1);
    const nodes: PostNode[] = [];
    let rest = converted.text;
    for (const m of converted.mentions) {
      const at = rest.indexOf(m.key);
      if (at > 0) nodes.push({ tag: 'text', text: rest.slice(0, at) });
      nodes.push({ tag: 'at', user_id: m.key, user_name: m.name });
      rest = rest.slice(at + m.key.length);
    }
    if (rest) nodes.push({ tag: 'text', text: rest });
    mentions.push(...converted.mentions);
    paragraphs.push(nodes);
  }
  for (const key of imageKeys) paragraphs.push([{ tag: 'img', image_key: key }]);
  return { content: { title: '', content: paragraphs }, mentions };
}
