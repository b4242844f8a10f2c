import { csvCell, toCsv } from './csv';

describe('csvCell', () => {
  it('writes plain text, numbers and booleans as they are, null as empty', () => {
    expect(csvCell('checkout')).toBe('checkout');
    expect(csvCell(0.25)).toBe('0.25');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell('')).toBe('');
  });

  it('quotes text holding a comma, quote or line break and doubles its quotes', () => {
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r')).toBe('"cr\r"');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+cmd')).toBe("'+cmd");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('=HYPERLINK("x", "y")')).toBe('"\'=HYPERLINK(""x"", ""y"")"');
  });
});

describe('toCsv', () => {
  it('writes a header row, then one row per record, each ended by CRLF', () => {
    expect(
      toCsv(
        ['id', 'title', 'n'],
        [
          ['1', 'plain', 3],
          ['2', 'with, comma', null],
        ],
      ),
    ).toBe('id,title,n\r\n1,plain,3\r\n2,"with, comma",\r\n');
  });

  it('writes only the header when there are no rows', () => {
    expect(toCsv(['a', 'b'], [])).toBe('a,b\r\n');
  });
});
