// Spanish identity numbers. A DNI is 8 digits and a check letter; a NIE is X, Y or Z (read as 0, 1, 2),
// 7 digits and a check letter. The letter is the number mod 23 looked up in LETTERS. Callers pass the
// characters only (no dots, spaces or dashes); case does not matter.

const LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

export function dniLetter(digits: number): string {
  return LETTERS.charAt(digits % 23);
}

export function isValidDni(value: string): boolean {
  const m = /^(\d{8})([A-Z])$/i.exec(value);
  return m !== null && dniLetter(Number(m[1])) === m[2]!.toUpperCase();
}

export function isValidNie(value: string): boolean {
  const m = /^([XYZ])(\d{7})([A-Z])$/i.exec(value);
  if (m === null) return false;
  const prefix = 'XYZ'.indexOf(m[1]!.toUpperCase());
  return dniLetter(Number(`${prefix}${m[2]}`)) === m[3]!.toUpperCase();
}
