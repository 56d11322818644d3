// Domain capabilities XML → typed model, read with the shared ElementReader (../xml), so
// whatever it does not know ends up in unknownElements/unknownAttributes.
import { ElementReader, XmlDocumentError, readXmlRoot, toInteger } from '../xml/document';
import type {
  CapsEnum,
  CpuCapability,
  CpuFeaturePolicy,
  CpuMaxPhysAddr,
  CpuMode,
  CustomCpuModel,
  DomainCapabilities,
  FeatureCapability,
  HostModelCpu,
  LoaderCapability,
  OsCapability,
  SevCapability,
  SgxCapability,
  SgxSection,
  SupportedBlock,
  VcpuCapability,
} from './model';

const documentError = (message: string, line?: number, column?: number) => new XmlDocumentError(message, line, column);

/** Parses `virConnectGetDomainCapabilities` XML. Throws XmlDocumentError if it is not that. */
export function parseDomainCapabilities(xml: string): DomainCapabilities {
  const r = readXmlRoot(xml, 'domainCapabilities', 'domain capabilities XML', documentError);
  const vcpu = r.child('vcpu');
  const iothreads = r.child('iothreads');
  const os = r.child('os');
  const cpu = r.child('cpu');
  const memoryBacking = r.child('memoryBacking');
  return r.finish<DomainCapabilities>({
    path: r.childText('path'),
    domain: r.requiredChild('domain').text(),
    machine: r.childText('machine'),
    arch: r.requiredChild('arch').text(),
    vcpu: vcpu && vcpu.finish<VcpuCapability>({ max: vcpu.requiredIntegerAttribute('max') }),
    iothreads: iothreads && readBlock(iothreads),
    os: os && readOs(os),
    cpu: cpu && readCpu(cpu),
    memoryBacking: memoryBacking && readBlock(memoryBacking),
    devices: r.child('devices')?.allChildren().map(readBlock),
    features: r.child('features')?.allChildren().map(readFeature),
  });
}

/** The fields every `supported='…'` element has; the caller finishes the element. */
function blockFields(r: ElementReader): SupportedBlock {
  return { name: r.node.name, supported: r.switchAttribute('supported'), enums: r.children('enum').map(readEnum) };
}

function readBlock(r: ElementReader): SupportedBlock {
  return r.finish<SupportedBlock>(blockFields(r));
}

function readEnum(r: ElementReader): CapsEnum {
  return r.finish<CapsEnum>({ name: r.requiredAttribute('name'), values: r.children('value').map((v) => v.text()) });
}

function readOs(r: ElementReader): OsCapability {
  const fields = blockFields(r);
  const loader = r.child('loader');
  return r.finish<OsCapability>({ ...fields, loader: loader && readLoader(loader) });
}

function readLoader(r: ElementReader): LoaderCapability {
  const fields = blockFields(r);
  return r.finish<LoaderCapability>({ ...fields, values: r.children('value').map((v) => v.text()) });
}

function readCpu(r: ElementReader): CpuCapability {
  return r.finish<CpuCapability>({ modes: r.children('mode').map(readCpuMode) });
}

function readCpuMode(r: ElementReader): CpuMode {
  const fields = { name: r.requiredAttribute('name'), supported: r.switchAttribute('supported'), enums: r.children('enum').map(readEnum) };
  // custom lists models with `usable`; host-model describes one CPU with a plain <model>.
  const models = r.childrenWhere('model', (node) => node.attributes.usable !== undefined).map(readCustomModel);
  const hostModel = r.childWhere('model', (node) => node.attributes.usable === undefined);
  for (const blockers of r.children('blockers')) {
    const model = models.find((m) => m.name === blockers.node.attributes.model);
    if (model === undefined) continue;
    blockers.ignore('model');
    model.blockers = blockers.children('feature').map((f) => f.requiredAttribute('name'));
  }
  const maxPhysAddr = r.child('maxphysaddr');
  return r.finish<CpuMode>({
    ...fields,
    model: hostModel && hostModel.finish<HostModelCpu>({ name: hostModel.text(), fallback: hostModel.attribute('fallback') }),
    vendor: r.childText('vendor'),
    maxPhysAddr:
      maxPhysAddr &&
      maxPhysAddr.finish<CpuMaxPhysAddr>({ mode: maxPhysAddr.requiredAttribute('mode'), bits: maxPhysAddr.integerAttribute('bits'), limit: maxPhysAddr.integerAttribute('limit') }),
    features: r.children('feature').map((f) => f.finish<CpuFeaturePolicy>({ policy: f.requiredAttribute('policy'), name: f.requiredAttribute('name') })),
    models,
  });
}

function readCustomModel(r: ElementReader): CustomCpuModel {
  const name = r.text();
  if (name === '') throw r.error('CPU model without a name');
  return r.finish<CustomCpuModel>({
    name,
    usable: r.requiredAttribute('usable'),
    deprecated: r.switchAttribute('deprecated'),
    vendor: r.attribute('vendor'),
    canonical: r.attribute('canonical'),
  });
}

function readFeature(r: ElementReader): FeatureCapability {
  const fields = blockFields(r);
  if (fields.name === 'sev' && fields.supported) return r.finish<FeatureCapability>({ ...fields, sev: readSev(r) });
  if (fields.name === 'sgx' && fields.supported) return r.finish<FeatureCapability>({ ...fields, sgx: readSgx(r) });
  return r.finish<FeatureCapability>(fields);
}

/** A child holding a whole number; a malformed one is left for unknownElements. */
function integerChild(r: ElementReader, name: string): number | undefined {
  const child = r.childWhere(name, (node) => toInteger(node.text) !== undefined);
  return child && toInteger(child.text());
}

function yesNoChild(r: ElementReader, name: string): boolean | undefined {
  const child = r.childWhere(name, (node) => node.text === 'yes' || node.text === 'no');
  return child && child.text() === 'yes';
}

function readSev(r: ElementReader): SevCapability {
  const sev: SevCapability = {
    cbitpos: integerChild(r, 'cbitpos'),
    reducedPhysBits: integerChild(r, 'reducedPhysBits'),
    maxGuests: integerChild(r, 'maxGuests'),
    maxESGuests: integerChild(r, 'maxESGuests'),
    cpu0Id: r.childText('cpu0Id'),
  };
  return Object.fromEntries(Object.entries(sev).filter(([, v]) => v !== undefined)) as SevCapability;
}

function readSgx(r: ElementReader): SgxCapability {
  const sectionSize = r.childWhere('section_size', (node) => toInteger(node.text) !== undefined);
  const sgx: SgxCapability = {
    flc: yesNoChild(r, 'flc'),
    sgx1: yesNoChild(r, 'sgx1'),
    sgx2: yesNoChild(r, 'sgx2'),
    sectionSize: sectionSize && { value: sectionSize.requiredIntegerText(), unit: sectionSize.attribute('unit') ?? 'KiB' },
    sections: r.child('sections')?.children('section').map(readSgxSection) ?? [],
  };
  return Object.fromEntries(Object.entries(sgx).filter(([, v]) => v !== undefined)) as SgxCapability;
}

function readSgxSection(r: ElementReader): SgxSection {
  return r.finish<SgxSection>({ node: r.requiredIntegerAttribute('node'), size: r.requiredIntegerAttribute('size'), unit: r.attribute('unit') ?? 'KiB' });
}
