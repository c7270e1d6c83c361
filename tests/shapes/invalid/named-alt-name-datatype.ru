# An acronym given as a plain string.
# expect: Violation shapes:NamedShape-altName sh:DatatypeConstraintComponent id:organization/kita-association
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
DELETE { <https://w3id.org/seirei/id/organization/kita-association> skos:altLabel "KIA"@en }
INSERT { <https://w3id.org/seirei/id/organization/kita-association> skos:altLabel "KIA" }
WHERE { <https://w3id.org/seirei/id/organization/kita-association> skos:altLabel "KIA"@en }
