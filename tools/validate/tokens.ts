/** The tools read embedded JSON/YAML documents with the product's reader (modules/terraform-json/documents.ts). */
export { parseDocuments, type ParsedDocuments } from "../../modules/terraform-json/documents";
