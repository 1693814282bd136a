/**
 * Lesson markdown rendered with `marked` and sanitised with DOMPurify before it touches
 * the page: a manager's lesson text is trusted to format, never to run script.
 */
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useMemo } from 'react';

export function Markdown({ text, testId }: { text: string; testId?: string }) {
  const html = useMemo(() => DOMPurify.sanitize(marked.parse(text, { async: false, gfm: true }) as string), [text]);
  return <article className="markdown" data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}
