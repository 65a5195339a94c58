import type { Mode } from './messages.js';
import type { ParamList } from './query.js';
import type { SimulatorState } from './state.js';
import type { XmlElement } from './xml.js';

export interface ApiContext {
  call: string;
  method: string;
  /** Decoded query (and form body) parameters; first value wins. */
  params: Record<string, string>;
  /** The same, in the order sent, repeats included. */
  paramList: ParamList;
  mode: Mode;
  /** `http://host:port`, what bbb-web calls its serverURL. */
  origin: string;
  now: number;
  state: SimulatorState;
  checksumValid: boolean;
  /** The raw body of a POST that is not a form (create's and insertDocument's XML). */
  body?: string;
  contentType?: string;
}

/** What a handler answers; the server turns it into bytes. */
export type Reply =
  | { type: 'xml'; body: XmlElement; headers?: Record<string, string> }
  | { type: 'redirect'; location: string; headers?: Record<string, string> }
  | { type: 'raw'; status: number; contentType: string; body: string };

export const xml = (body: XmlElement): Reply => ({ type: 'xml', body });
