// Document offsets to LSP positions.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Position } from 'vscode-languageserver-types';

/**
 * Offsets to positions in one forward sweep that jumps from line break to line break with indexOf
 * (LSP breaks lines at \n, \r\n and \r). Candidates come in document order, so this avoids a
 * per-character pass over the whole document to build its line table; an offset behind the
 * sweep is left to the document itself.
 */
export class PositionCursor {
  private line = 0;
  private lineStart = 0;
  private nextLf = -2;
  private nextCr = -2;
  private readonly text: string;

  constructor(private readonly document: TextDocument) {
    this.text = document.getText();
  }

  at(offset: number): Position {
    if (offset < this.lineStart) return this.document.positionAt(offset);
    const text = this.text;
    for (;;) {
      if (this.nextLf !== -1 && this.nextLf < this.lineStart) this.nextLf = text.indexOf('\n', this.lineStart);
      if (this.nextCr !== -1 && this.nextCr < this.lineStart) this.nextCr = text.indexOf('\r', this.lineStart);
      if (this.nextLf === -1 && this.nextCr === -1) break;
      const crlf = this.nextCr !== -1 && this.nextLf === this.nextCr + 1;
      const brk = this.nextCr === -1 ? this.nextLf : this.nextLf === -1 ? this.nextCr : Math.min(this.nextLf, this.nextCr);
      const nextLineStart = brk + (crlf && brk === this.nextCr ? 2 : 1);
      if (nextLineStart > offset) break;
      this.line++;
      this.lineStart = nextLineStart;
    }
    // An offset inside a line break counts as its start, as TextDocument.positionAt has it.
    let at = Math.min(offset, text.length);
    while (at > this.lineStart && (text.charCodeAt(at - 1) === 10 || text.charCodeAt(at - 1) === 13)) at--;
    return { line: this.line, character: at - this.lineStart };
  }
}
