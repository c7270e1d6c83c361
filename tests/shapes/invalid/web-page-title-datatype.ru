# A web resource title given as a plain string.
# expect: Violation shapes:WebPageShape-title sh:DatatypeConstraintComponent id:web-resource/kita-living
PREFIX dcterms: <http://purl.org/dc/terms/>
DELETE { <https://w3id.org/seirei/id/web-resource/kita-living> dcterms:title "Living information"@en }
INSERT { <https://w3id.org/seirei/id/web-resource/kita-living> dcterms:title "Living information" }
WHERE { <https://w3id.org/seirei/id/web-resource/kita-living> dcterms:title "Living information"@en }
