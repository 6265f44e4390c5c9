/** `kith resources import|export` (owned by the HSDS import work). */
export async function resourcesCommand(_args: string[]): Promise<number> {
  return 2;
}
