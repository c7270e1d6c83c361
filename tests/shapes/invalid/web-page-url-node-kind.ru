# A web resource URL given as a string, not an IRI.
# expect: Violation shapes:WebPageShape-url sh:NodeConstraintComponent id:web-resource/kita-living
# cause: shapes:HttpUrlShape sh:NodeKindConstraintComponent
PREFIX schema: <https://schema.org/>
DELETE { <https://w3id.org/seirei/id/web-resource/kita-living> schema:url <https://www.kita.example.org/living/> }
INSERT { <https://w3id.org/seirei/id/web-resource/kita-living> schema:url "https://www.kita.example.org/living/" }
WHERE { <https://w3id.org/seirei/id/web-resource/kita-living> schema:url <https://www.kita.example.org/living/> }
