# An e-mail address typed xsd:anyURI instead of xsd:string.
# expect: Violation shapes:ContactValueShape-email sh:DatatypeConstraintComponent id:contact/kita-1-email
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX schema: <https://schema.org/>
DELETE { <https://w3id.org/seirei/id/contact/kita-1-email> schema:email "kokusai@kita.example.org" }
INSERT { <https://w3id.org/seirei/id/contact/kita-1-email> schema:email "kokusai@kita.example.org"^^xsd:anyURI }
WHERE { <https://w3id.org/seirei/id/contact/kita-1-email> schema:email "kokusai@kita.example.org" }
