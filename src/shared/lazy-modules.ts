/* eslint-disable @typescript-eslint/no-require-imports -- on purpose: a synchronous require on
   first use keeps these out of start-up (a dynamic import() would need ESM in jest too). */
import type * as PdfLib from 'pdf-lib';
import type JSZip from 'jszip';
import type * as Msal from '@azure/msal-node';

/**
 * Heavy dependencies that only some requests need, loaded on first use instead of at start-up.
 * Measured in one process (`npm run soak`, node 24): pdf-lib ~20 MB RSS and ~250 ms, jszip
 * ~15 MB, msal-node ~19 MB; each app instance paid all three at start although a PDF, a
 * transfer archive or an Entra token is rare (and msal is not used at all in development).
 */
let pdf: typeof PdfLib | undefined;
let zip: typeof JSZip | undefined;
let msalNode: typeof Msal | undefined;

/** pdf-lib, for the few exports that write a PDF. */
export function pdfLib(): typeof PdfLib {
  return (pdf ??= require('pdf-lib') as typeof PdfLib);
}

/** jszip, for transfer archives. */
export function jszip(): typeof JSZip {
  return (zip ??= require('jszip') as typeof JSZip);
}

/** @azure/msal-node, for Graph and Key Vault tokens in production. */
export function msal(): typeof Msal {
  return (msalNode ??= require('@azure/msal-node') as typeof Msal);
}
