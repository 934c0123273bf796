/** The `/usage` card (Feishu card JSON 2.0) from its rendered texts. */
export function usageCard(text: { title: string; sections: string[] }): object {
  return {
    schema: '2.0',
    config: { update_multi: true },
    header: { title: { tag: 'plain_text', content: text.title }, template: 'orange' },
    body: { elements: text.sections.map((content) => ({ tag: 'markdown', content })) },
  };
}
